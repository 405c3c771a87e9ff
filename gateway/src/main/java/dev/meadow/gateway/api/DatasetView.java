package dev.meadow.gateway.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.TrainingRequest;

/**
 * A dataset snapshot and where it stands in the queue: {@code queued}, {@code embedded}, {@code training},
 * {@code finished}, or {@code failed} (with the reason). The answer to an upload also lists the images it
 * dropped, and why.
 */
public record DatasetView(
        String snapshotId,
        String name,
        String source,
        int images,
        int captions,
        String preset,
        String conditioning,
        int epochs,
        String state,
        Integer epoch,
        String modelId,
        String reason,
        Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DroppedImages> dropped) {

    /** A snapshot in a given state of its training. */
    public static DatasetView of(
            DatasetSnapshot snapshot,
            String state,
            Integer epoch,
            String modelId,
            String reason,
            List<DroppedImages> dropped) {
        TrainingRequest training = snapshot.training();
        return new DatasetView(
                snapshot.snapshotId(),
                snapshot.name(),
                snapshot.source(),
                snapshot.imageCount(),
                snapshot.captionCount(),
                training.preset(),
                training.conditioning().id(),
                training.epochs(),
                state,
                epoch,
                modelId,
                reason,
                snapshot.createdAt(),
                dropped);
    }

    /** A snapshot just uploaded, with what the upload dropped. */
    public static DatasetView queued(DatasetSnapshot snapshot, List<DroppedImages> dropped) {
        return of(snapshot, "queued", null, null, null, dropped);
    }

    /** Whether its training can still be cancelled: it has not ended. */
    public boolean cancellable() {
        return state.equals("queued") || state.equals("embedded") || state.equals("training");
    }

    public DatasetView withState(String newState) {
        return new DatasetView(
                snapshotId,
                name,
                source,
                images,
                captions,
                preset,
                conditioning,
                epochs,
                newState,
                epoch,
                modelId,
                reason,
                createdAt,
                dropped);
    }
}
