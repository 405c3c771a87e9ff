package dev.meadow.model;

/** A model directory that is not what it claims to be: wrong kind, missing files, bad checksums, wrong shapes. */
public class InvalidModelException extends RuntimeException {

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
