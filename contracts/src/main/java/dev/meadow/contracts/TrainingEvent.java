package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What a training run did. Published on {@code training-events}, keyed by run id, kept forever: the gateway
 * draws training curves from it.
 */
public record TrainingEvent(
        int version,
        String runId,
        String snapshotId,
        Type type,
        Integer epoch,
        Integer epochs,
        LossBreakdown train,
        LossBreakdown validation,
        String modelVersion,
        String reason,
        Instant at)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    /** CANCELLED is written by whoever cancels (the gateway); the trainer skips or stops the run when it reads it. */
    public enum Type {
        STARTED,
        RESUMED,
        EPOCH,
        FINISHED,
        FAILED,
        CANCELLED
    }

    public static TrainingEvent started(
            String runId, String snapshotId, int epochs, boolean resumed, int epoch, Instant at) {
        return new TrainingEvent(
                CURRENT_VERSION,
                runId,
                snapshotId,
                resumed ? Type.RESUMED : Type.STARTED,
                epoch,
                epochs,
                null,
                null,
                null,
                null,
                at);
    }

    public static TrainingEvent epoch(
            String runId,
            String snapshotId,
            int epoch,
            int epochs,
            LossBreakdown train,
            LossBreakdown validation,
            Instant at) {
        return new TrainingEvent(
                CURRENT_VERSION, runId, snapshotId, Type.EPOCH, epoch, epochs, train, validation, null, null, at);
    }

    public static TrainingEvent finished(String runId, String snapshotId, int epochs, String modelVersion, Instant at) {
        return new TrainingEvent(
                CURRENT_VERSION, runId, snapshotId, Type.FINISHED, epochs, epochs, null, null, modelVersion, null, at);
    }

    public static TrainingEvent failed(String runId, String snapshotId, String reason, Instant at) {
        return new TrainingEvent(
                CURRENT_VERSION, runId, snapshotId, Type.FAILED, null, null, null, null, null, reason, at);
    }

    /** The run that trains a snapshot: one per snapshot, so that a restarted trainer resumes it. */
    public static String runIdFor(String snapshotId) {
        return "run-" + snapshotId;
    }

    public static TrainingEvent cancelled(String runId, String snapshotId, Instant at) {
        return new TrainingEvent(
                CURRENT_VERSION, runId, snapshotId, Type.CANCELLED, null, null, null, null, null, null, at);
    }

    @Override
    public List<String> problems() {
        Checks checks = Checks.of(version, CURRENT_VERSION)
                .id("runId", runId)
                .id("snapshotId", snapshotId)
                .present("type", type)
                .present("at", at);
        if (type == Type.EPOCH) {
            checks.present("epoch", epoch)
                    .present("epochs", epochs)
                    .present("train", train)
                    .present("validation", validation);
        } else if (type == Type.FINISHED) {
            checks.id("modelVersion", modelVersion);
        } else if (type == Type.FAILED) {
            checks.text("reason", reason, 4000);
        }
        return checks.problems();
    }
}
