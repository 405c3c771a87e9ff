package dev.meadow.generator.health;

import dev.meadow.generator.service.DecoderRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Reports the decoder in use; up without one, since requests wait in Kafka until a model is published. */
@Readiness
@ApplicationScoped
public class DecoderHealthCheck implements HealthCheck {

    private final DecoderRuntime decoders;

    public DecoderHealthCheck(DecoderRuntime decoders) {
        this.decoders = decoders;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Decoder")
                .up()
                .withData("model", decoders.activeId().orElse("none active yet"))
                .build();
    }
}
