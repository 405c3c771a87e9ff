package dev.meadow.contracts;

/** A record that cannot be read or does not satisfy its contract. The message says why. */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason);
    }

    public InvalidMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
