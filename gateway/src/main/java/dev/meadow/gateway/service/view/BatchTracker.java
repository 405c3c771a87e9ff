package dev.meadow.gateway.service.view;

import java.time.Instant;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.gateway.api.BatchProgress;

/** Progress of every batch, counted from the {@code batches}, {@code embeddings} and {@code generations} topics. */
public final class BatchTracker {

    private static final byte NONE = 0;
    private static final byte SUCCEEDED = 1;
    private static final byte FAILED = 2;
    private static final byte CANCELLED = 3;

    private final Map<String, State> batches = new ConcurrentHashMap<>();

    private static final class State {
        final String batchId;
        BatchSubmitted submitted;
        Instant cancelledAt;
        final BitSet embedded = new BitSet();
        byte[] status = new byte[16];
        int generated;
        int failed;
        int cancelled;

        State(String batchId) {
            this.batchId = batchId;
        }

        synchronized void result(int index, byte outcome) {
            if (index >= status.length) {
                status = java.util.Arrays.copyOf(status, Math.max(index + 1, status.length * 2));
            }
            count(status[index], -1);
            status[index] = outcome;
            count(outcome, 1);
        }

        private void count(byte outcome, int delta) {
            switch (outcome) {
                case SUCCEEDED -> generated += delta;
                case FAILED -> failed += delta;
                case CANCELLED -> cancelled += delta;
                default -> { }
            }
        }

        synchronized BatchProgress progress() {
            int total = submitted == null ? 0 : submitted.total();
            int done = generated + failed + cancelled;
            int queued = Math.max(0, total - done);
            return new BatchProgress(batchId, total, queued, Math.min(total, embedded.cardinality()), generated,
                    failed, cancelled, done, total == 0 ? 0 : Math.round(1000.0 * done / total) / 10.0,
                    cancelledAt != null, total > 0 && done >= total,
                    submitted == null ? null : submitted.source(),
                    submitted == null ? null : submitted.firstPrompt(),
                    submitted == null ? null : submitted.submittedAt());
        }
    }

    private State state(String batchId) {
        return batches.computeIfAbsent(batchId, State::new);
    }

    public void batch(BatchEvent event) {
        State state = state(event.batchId());
        synchronized (state) {
            if (event instanceof BatchSubmitted s) {
                state.submitted = s;
            } else if (event instanceof BatchCancelled c) {
                state.cancelledAt = c.cancelledAt();
            }
        }
    }

    /** An embedding was published for job {@code jobId} (read from the record key alone). */
    public void embedded(String jobId) {
        int dash = jobId.lastIndexOf('-');
        if (dash <= 0) {
            return;
        }
        try {
            int index = Integer.parseInt(jobId.substring(dash + 1));
            State state = state(jobId.substring(0, dash));
            synchronized (state) {
                state.embedded.set(index);
            }
        } catch (NumberFormatException ignored) {
            // Not a gateway job id: nothing to count.
        }
    }

    public void result(GenerationResult result) {
        byte outcome = switch (result.status()) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
        };
        state(result.batchId()).result(result.index(), outcome);
    }

    /** Waits (briefly) until the batch's submission has been read: a client that just submitted can look at it. */
    public boolean awaitSubmitted(String batchId, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (progress(batchId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public Optional<BatchProgress> progress(String batchId) {
        State state = batches.get(batchId);
        return state == null || state.submitted == null ? Optional.empty() : Optional.of(state.progress());
    }

    /** Submitted batches, newest first. */
    public List<BatchProgress> recent(int limit) {
        return batches.values().stream().filter(s -> s.submitted != null).map(State::progress)
                .sorted(Comparator.comparing(BatchProgress::submittedAt).reversed()).limit(limit).toList();
    }

    public boolean isCancelled(String batchId) {
        State state = batches.get(batchId);
        return state != null && state.cancelledAt != null;
    }
}
