package dev.meadow.embedder.health;

import dev.meadow.embedder.service.ClipRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the CLIP model in use. Up without one too: prompts wait in Kafka until a model is published, and the
 * service must be up to receive it.
 */
@Readiness
@ApplicationScoped
public class ClipHealthCheck implements HealthCheck {

    private final ClipRuntime clip;

    public ClipHealthCheck(ClipRuntime clip) {
        this.clip = clip;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("CLIP model")
                .up()
                .withData("model", clip.modelId().orElse("none active yet"))
                .build();
    }
}
