package dev.meadow.trainer.service;

import java.util.concurrent.atomic.AtomicLong;

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
    private final AtomicLong stepLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong trainLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));
    private final AtomicLong validationLoss = new AtomicLong(Double.doubleToLongBits(Double.NaN));

    public TrainerMetrics(MeterRegistry registry) {
        this.step = Timer.builder("meadow.trainer.step")
                .description("Time of one training step (one batch forward, backward and update)")
                .publishPercentileHistogram()
                .register(registry);
        this.epochs = Counter.builder("meadow.trainer.epochs")
                .description("Training epochs finished")
                .register(registry);
        loss(registry, "meadow.trainer.step.loss", "Loss of the last training step", stepLoss);
        loss(registry, "meadow.trainer.epoch.loss", "Training loss of the last epoch", trainLoss);
        loss(registry, "meadow.trainer.validation.loss", "Validation loss of the last epoch", validationLoss);
    }

    private static void loss(MeterRegistry registry, String name, String description, AtomicLong bits) {
        Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get()))
                .description(description)
                .register(registry);
    }

    /** A listener that times each step of an epoch from the end of the one before. */
    public StepListener steps() {
        long[] last = {System.nanoTime()};
        return (done, total, loss) -> {
            long now = System.nanoTime();
            step.record(java.time.Duration.ofNanos(now - last[0]));
            last[0] = now;
            stepLoss.set(Double.doubleToLongBits(loss));
        };
    }

    public void epochFinished(EpochReport report) {
        epochs.increment();
        resumedAt(report);
    }

    /** A run resumed after {@code report}'s epoch: its losses, without counting the epoch again. */
    public void resumedAt(EpochReport report) {
        trainLoss.set(Double.doubleToLongBits(report.train().total()));
        validationLoss.set(Double.doubleToLongBits(report.validation().total()));
    }
}
