package dev.meadow.trainer.health;

import dev.meadow.trainer.service.TrainingJob;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Reports the run in progress, if any. */
@Readiness
@ApplicationScoped
public class TrainingHealthCheck implements HealthCheck {

    private final TrainingJob training;

    public TrainingHealthCheck(TrainingJob training) {
        this.training = training;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("Training").up();
        training.progress()
                .ifPresentOrElse(
                        p -> response.withData("run", p.runId())
                                .withData("snapshot", p.snapshotId())
                                .withData("epoch", p.epoch() + "/" + p.epochs()),
                        () -> response.withData("run", "idle"));
        training.delayed().ifPresent(why -> response.withData("delayed", why));
        return response.build();
    }
}
