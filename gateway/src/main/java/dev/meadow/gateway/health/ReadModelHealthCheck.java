package dev.meadow.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.meadow.contracts.Topics;
import dev.meadow.gateway.service.ReadModel;
import dev.meadow.messaging.ModelCatalog;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the gallery has been rebuilt from the topics, so a restarted gateway never shows a partial view, and
 * for as long as every topic and the model catalog are being followed: a view that has stopped following is DOWN,
 * with the reason per topic.
 */
@Readiness
@ApplicationScoped
public class ReadModelHealthCheck implements HealthCheck {

    private final ReadModel view;
    private final ModelCatalog catalog;

    ReadModelHealthCheck(ReadModel view, ModelCatalog catalog) {
        this.view = view;
        this.catalog = catalog;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> problems = new LinkedHashMap<>(view.problems());
        catalog.problem().ifPresent(problem -> problems.put(Topics.MODELS.name(), problem));
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Gallery rebuilt from Kafka")
                .status(problems.isEmpty())
                .withData("images", view.images().size());
        problems.forEach(response::withData);
        return response.build();
    }
}
