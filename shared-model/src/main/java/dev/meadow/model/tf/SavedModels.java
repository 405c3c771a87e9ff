package dev.meadow.model.tf;

import java.nio.file.Path;

import dev.meadow.model.InvalidModelException;
import org.tensorflow.SavedModelBundle;

/** Opening a model directory's SavedModel, one way for every model kind. */
public final class SavedModels {

    private SavedModels() {}

    /** The {@code serve} SavedModel in {@code directory}; one that cannot be loaded is an {@link InvalidModelException}. */
    public static SavedModelBundle open(Path directory, int threads) {
        try {
            return SavedModelBundle.loader(directory.toString())
                    .withTags("serve")
                    .withConfigProto(TfConfig.threads(threads))
                    .load();
        } catch (RuntimeException e) {
            throw new InvalidModelException(directory + ": the SavedModel cannot be loaded: " + e.getMessage(), e);
        }
    }
}
