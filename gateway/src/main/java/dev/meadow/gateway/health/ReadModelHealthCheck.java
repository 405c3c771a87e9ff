package dev.meadow.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.gateway.service.ReadModel;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the gallery has been rebuilt from the topics, so a restarted gateway never shows a partial view. */
@Readiness
@ApplicationScoped
public class ReadModelHealthCheck implements HealthCheck {

    @Inject
    ReadModel view;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Gallery rebuilt from Kafka")
                .status(view.isCaughtUp())
                .withData("images", view.images().size())
                .build();
    }
}
