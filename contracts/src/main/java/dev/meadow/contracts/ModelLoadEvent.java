package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A service instance loaded, or refused, a model version. Published on {@code model-events}, keyed by instance;
 * a refused model leaves the previous one serving, and this record says why.
 */
public record ModelLoadEvent(
        int version,
        String instance,
        String service,
        ModelKind kind,
        String modelId,
        Outcome outcome,
        String reason,
        Instant at)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    public enum Outcome {
        LOADED,
        REFUSED
    }

    public static ModelLoadEvent loaded(String instance, String service, ModelKind kind, String modelId, Instant at) {
        return new ModelLoadEvent(CURRENT_VERSION, instance, service, kind, modelId, Outcome.LOADED, null, at);
    }

    public static ModelLoadEvent refused(
            String instance, String service, ModelKind kind, String modelId, String reason, Instant at) {
        return new ModelLoadEvent(CURRENT_VERSION, instance, service, kind, modelId, Outcome.REFUSED, reason, at);
    }

    @Override
    public List<String> problems() {
        Checks checks = Checks.of(version, CURRENT_VERSION)
                .id("instance", instance)
                .id("service", service)
                .present("kind", kind)
                .id("modelId", modelId)
                .present("outcome", outcome)
                .present("at", at);
        if (outcome == Outcome.REFUSED) {
            checks.text("reason", reason, 4000);
        }
        return checks.problems();
    }
}
