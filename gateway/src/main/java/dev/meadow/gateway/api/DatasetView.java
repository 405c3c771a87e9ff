package dev.meadow.gateway.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A dataset snapshot and where it stands in the queue: {@code queued}, {@code embedded}, {@code training},
 * {@code finished}, or {@code failed} (with the reason). The answer to an upload also lists the images it
 * dropped, and why.
 */
public record DatasetView(String snapshotId, String name, String source, int images, int captions, String preset,
        String conditioning, int epochs, String state, Integer epoch, String modelId, String reason,
        Instant createdAt, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DroppedImages> dropped) {
}
