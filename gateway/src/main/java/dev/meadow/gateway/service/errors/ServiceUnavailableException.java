package dev.meadow.gateway.service.errors;

/** A dependency (the object store, say) is down; the request can be retried later. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}
