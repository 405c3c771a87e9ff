package dev.meadow.gateway.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

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
