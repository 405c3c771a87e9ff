package dev.meadow.gateway.service.errors;

/** The request is valid but conflicts with the current state (e.g. activating an incompatible model). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
