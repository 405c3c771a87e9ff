package dev.meadow.model;

import java.io.UncheckedIOException;

import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.exceptions.TensorFlowException;

/** A model directory that is not what it claims to be: wrong kind, missing files, bad checksums, wrong shapes. */
public class InvalidModelException extends RuntimeException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether an exception thrown while opening a model directory means that its files are broken, rather than that
     * this machine ran short (of native memory, say), which may pass.
     */
    public static boolean meansBrokenFiles(RuntimeException e) {
        return e instanceof InvalidModelException
                || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException
                || (e instanceof TensorFlowException && !(e instanceof TFResourceExhaustedException));
    }
}
