package dev.meadow.gateway.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.gateway.api.BatchProgress;
import dev.meadow.gateway.messaging.BatchControlPublisher;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.gallery.GalleryQueries;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Progress of batches, live updates, and cancelling. */
@ApplicationScoped
public class BatchService {

    private final GalleryQueries gallery;
    private final BatchControlPublisher control;

    public BatchService(GalleryQueries gallery, BatchControlPublisher control) {
        this.gallery = gallery;
        this.control = control;
    }

    public BatchProgress progress(String batchId) {
        return gallery.batch(batchId).orElseThrow(() -> new NotFoundException("no batch " + batchId));
    }

    /** The newest {@code limit} batches, 1 to 500. */
    public List<BatchProgress> recent(int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidRequestException("limit", "limit must be between 1 and 500");
        }
        return gallery.recentBatches(limit);
    }

    /** The batch's progress twice a second while it runs (only changes), ending with its final state. */
    public Multi<BatchProgress> updates(String batchId) {
        progress(batchId);
        Multi<BatchProgress> running = Multi.createFrom()
                .ticks()
                .every(Duration.ofMillis(500))
                .onOverflow()
                .drop()
                .map(tick -> progress(batchId))
                .select()
                .first(p -> !ended(p));
        Multi<BatchProgress> last =
                Uni.createFrom().item(() -> progress(batchId)).toMulti();
        return Multi.createBy().concatenating().streams(running, last).select().where(new Changed());
    }

    private static boolean ended(BatchProgress p) {
        return p.finished() || (p.cancelRequested() && p.queued() == 0);
    }

    /** Passes an item only if it differs from the one before. */
    private static final class Changed implements java.util.function.Predicate<BatchProgress> {

        private BatchProgress last;

        @Override
        public synchronized boolean test(BatchProgress p) {
            boolean changed = !p.equals(last);
            last = p;
            return changed;
        }
    }

    /** Requests not decoded yet are skipped and reported as cancelled. */
    public Uni<BatchProgress> cancel(String batchId) {
        BatchProgress progress = progress(batchId);
        if (progress.finished()) {
            throw new ConflictException("batch " + batchId + " has already finished");
        }
        return control.publish(BatchCancelled.of(batchId, Instant.now())).replaceWith(progress::withCancelRequested);
    }
}
