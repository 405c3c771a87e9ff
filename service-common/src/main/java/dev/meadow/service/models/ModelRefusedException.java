package dev.meadow.service.models;

import dev.meadow.contracts.ModelKind;

/**
 * A published model this service will not serve with: its files are broken, are not what they were published as, or
 * it does not fit the models it would work with. The reason is also on {@code model-events}.
 */
public class ModelRefusedException extends RuntimeException {

    private final String reason;

    public ModelRefusedException(ModelKind kind, String modelId, String reason, Throwable cause) {
        super(kind.id() + " model " + modelId + " is refused: " + reason, cause);
        this.reason = reason;
    }

    /** Why, without the model's name. */
    public String reason() {
        return reason;
    }
}
