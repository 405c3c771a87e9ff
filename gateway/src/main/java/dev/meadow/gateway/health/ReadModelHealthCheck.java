package dev.meadow.gateway.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.meadow.contracts.Topics;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.messaging.GalleryProjection;
import dev.meadow.gateway.service.readmodel.ReadModel;
import dev.meadow.messaging.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while what the gateway shows follows the topics: the gallery's projection runs (on this instance or
 * another sharing the database) and lags at most {@code meadow.gateway.gallery.max-lag} records behind them, and
 * the in-memory views and the model catalog have been rebuilt and are followed. DOWN otherwise, with the reasons.
 */
@Readiness
@ApplicationScoped
public class ReadModelHealthCheck implements HealthCheck {

    /** A lag measured longer ago than this means the projection's thread is stuck. */
    private static final long STALE_NANOS = 30_000_000_000L;

    private final ReadModel readModel;
    private final ModelCatalog catalog;
    private final GalleryProjection gallery;
    private final long maxLag;

    ReadModelHealthCheck(ReadModel readModel, ModelCatalog catalog, GalleryProjection gallery, GatewayConfig config) {
        this.readModel = readModel;
        this.catalog = catalog;
        this.gallery = gallery;
        this.maxLag = config.gallery().maxLag();
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> problems = new LinkedHashMap<>();
        gallery.problem().ifPresent(problem -> problems.put("gallery", problem));
        var lag = gallery.lag();
        if (lag.isEmpty()) {
            problems.putIfAbsent("gallery", "its lag behind the topics has not been measured yet");
        } else if (System.nanoTime() - lag.get().measuredAtNanos() > STALE_NANOS) {
            problems.putIfAbsent("gallery", "its lag has not been measured for over 30 s");
        } else if (lag.get().records() > maxLag) {
            problems.putIfAbsent(
                    "gallery",
                    lag.get().records() + " records behind the topics (more than " + maxLag
                            + ", meadow.gateway.gallery.max-lag)");
        }
        problems.putAll(readModel.problems());
        catalog.problem().ifPresent(problem -> problems.put(Topics.MODELS.name(), problem));
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Gallery following Kafka")
                .status(problems.isEmpty())
                .withData("projecting", gallery.isProjecting());
        lag.ifPresent(l -> response.withData("lag", l.records()));
        problems.forEach(response::withData);
        return response.build();
    }
}
