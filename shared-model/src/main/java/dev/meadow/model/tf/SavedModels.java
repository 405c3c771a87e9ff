package dev.meadow.model.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.meadow.model.InvalidModelException;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
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

    /**
     * Exports {@code session}'s graph and variables as the {@code serve} SavedModel in {@code directory} (its parent
     * created if need be), one way for every model kind a Meadow trainer writes.
     */
    public static void export(Session session, Path directory, Signature... signatures) throws IOException {
        Files.createDirectories(directory.toAbsolutePath().getParent());
        SavedModelBundle.exporter(directory.toAbsolutePath().toString())
                .withSession(session)
                .withSignatures(signatures)
                .export();
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
