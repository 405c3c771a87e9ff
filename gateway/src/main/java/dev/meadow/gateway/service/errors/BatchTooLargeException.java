package dev.meadow.gateway.service.errors;

/** A batch asks for more images than the configured maximum; nothing of it was published. */
public class BatchTooLargeException extends RuntimeException {

    public BatchTooLargeException(String message) {
        super(message);
    }
}
