package dev.meadow.storage;

/** An object-store call failed: unreachable, refused, or the object is not there. */
public class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public ObjectStoreException(String message) {
        super(message);
    }
}
