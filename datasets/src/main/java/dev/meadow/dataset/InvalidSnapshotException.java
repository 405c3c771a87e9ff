package dev.meadow.dataset;

/** A snapshot directory or upload that does not follow the snapshot format; the message says where. */
public class InvalidSnapshotException extends RuntimeException {

    public InvalidSnapshotException(String message) {
        super(message);
    }

    public InvalidSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
