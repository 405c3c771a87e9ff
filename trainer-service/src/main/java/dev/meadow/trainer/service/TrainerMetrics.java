package dev.meadow.trainer.service;

import dev.meadow.model.cvae.EpochReport;
import dev.meadow.model.cvae.StepListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the trainer reports on {@code /q/metrics}: training step time, the loss of the last step and of the last
 * epoch (training and validation), and epochs finished. Started with the service, so that the gauges are there
 * (NaN) before the first run.
 */
@Startup
@ApplicationScoped
public class TrainerMetrics {

    private final Timer step;
    private final Counter epochs;
    private volatile double stepLoss = Double.NaN;
    private volatile double trainLoss = Double.NaN;
    private volatile double validationLoss = Double.NaN;

    public TrainerMetrics(MeterRegistry registry) {
        this.step = Timer.builder("meadow.trainer.step")
                .description("Time of one training step (one batch forward, backward and update)")
                .publishPercentileHistogram()
                .register(registry);
        this.epochs = Counter.builder("meadow.trainer.epochs")
                .description("Training epochs finished")
                .register(registry);
        Gauge.builder("meadow.trainer.step.loss", this, m -> m.stepLoss)
                .description("Loss of the last training step")
                .register(registry);
        Gauge.builder("meadow.trainer.epoch.loss", this, m -> m.trainLoss)
                .description("Training loss of the last epoch")
                .register(registry);
        Gauge.builder("meadow.trainer.validation.loss", this, m -> m.validationLoss)
                .description("Validation loss of the last epoch")
                .register(registry);
    }

    /** A listener that times each step of an epoch from the end of the one before. */
    public StepListener steps() {
        long[] last = {System.nanoTime()};
        return (done, total, loss) -> {
            long now = System.nanoTime();
            step.record(java.time.Duration.ofNanos(now - last[0]));
            last[0] = now;
            stepLoss = loss;
        };
    }

    public void epochFinished(EpochReport report) {
        epochs.increment();
        resumedAt(report);
    }

    /** A run resumed after {@code report}'s epoch: its losses, without counting the epoch again. */
    public void resumedAt(EpochReport report) {
        trainLoss = report.train().total();
        validationLoss = report.validation().total();
    }
}
