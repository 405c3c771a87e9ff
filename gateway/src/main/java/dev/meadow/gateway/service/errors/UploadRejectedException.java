package dev.meadow.gateway.service.errors;

/**
 * An upload that breaks a limit (413) or is not what it claims to be (400). Nothing of it was stored.
 */
public class UploadRejectedException extends RuntimeException {

    private final int status;

    public UploadRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static UploadRejectedException invalid(String message) {
        return new UploadRejectedException(400, message);
    }

    public static UploadRejectedException tooLarge(String message) {
        return new UploadRejectedException(413, message);
    }

    public int status() {
        return status;
    }
}
