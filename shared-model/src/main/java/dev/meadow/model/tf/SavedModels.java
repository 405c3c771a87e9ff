package dev.meadow.model.tf;

import java.nio.file.Path;

import dev.meadow.model.InvalidModelException;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.ConfigProto;

/** Opening a model directory's SavedModel, one way for every model kind. */
public final class SavedModels {

    private SavedModels() {}

    /** The {@code serve} SavedModel in {@code directory}; one that cannot be loaded is an {@link InvalidModelException}. */
    public static SavedModelBundle open(Path directory, int threads) {
        return open(directory, TfConfig.threads(threads));
    }

    /** As {@link #open(Path, int)}, running in {@code precision}. */
    public static SavedModelBundle open(Path directory, int threads, Precision precision) {
        return open(directory, TfConfig.inference(threads, precision));
    }

    private static SavedModelBundle open(Path directory, ConfigProto config) {
        try {
            return SavedModelBundle.loader(directory.toString())
                    .withTags("serve")
                    .withConfigProto(config)
                    .load();
        } catch (RuntimeException e) {
            throw new InvalidModelException(directory + ": the SavedModel cannot be loaded: " + e.getMessage(), e);
        }
    }
}
