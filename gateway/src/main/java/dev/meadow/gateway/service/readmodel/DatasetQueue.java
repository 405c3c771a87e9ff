package dev.meadow.gateway.service.readmodel;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.gateway.api.DatasetView;

/** Uploaded snapshots and how far each got: embedded, training, finished or failed. */
public final class DatasetQueue {

    private final Map<String, DatasetSnapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Boolean> embedded = new ConcurrentHashMap<>();
    private final Map<String, String> rejected = new ConcurrentHashMap<>();
    private final TrainingHistory training;

    public DatasetQueue(TrainingHistory training) {
        this.training = training;
    }

    public void snapshot(DatasetSnapshot snapshot) {
        snapshots.put(snapshot.snapshotId(), snapshot);
    }

    public void embedded(String snapshotId) {
        embedded.put(snapshotId, true);
    }

    /** The embedder could not process it (from the dead-letter topic). */
    public void rejected(String snapshotId, String reason) {
        rejected.put(snapshotId, reason);
    }

    public Optional<DatasetView> get(String snapshotId) {
        return Optional.ofNullable(snapshots.get(snapshotId)).map(this::view);
    }

    /** Newest first. */
    public List<DatasetView> all() {
        return snapshots.values().stream()
                .sorted(Comparator.comparing(DatasetSnapshot::createdAt).reversed())
                .map(this::view)
                .toList();
    }

    private DatasetView view(DatasetSnapshot s) {
        String state = "queued";
        Integer epoch = null;
        String model = null;
        String reason = rejected.get(s.snapshotId());
        if (reason != null) {
            state = "failed";
        } else if (embedded.containsKey(s.snapshotId())) {
            state = "embedded";
        }
        String runId = TrainingEvent.runIdFor(s.snapshotId());
        var latest = training.latest(runId);
        boolean finished = training.events(runId).stream().anyMatch(e -> e.type() == TrainingEvent.Type.FINISHED);
        if (training.cancelled(runId) && !finished) {
            state = "cancelled";
        } else if (latest.isPresent() && reason == null) {
            TrainingEvent e = latest.get();
            switch (e.type()) {
                case FINISHED -> {
                    state = "finished";
                    model = e.modelVersion();
                }
                case FAILED -> {
                    state = "failed";
                    reason = e.reason();
                }
                default -> {
                    state = "training";
                    epoch = e.type() == TrainingEvent.Type.EPOCH ? e.epoch() : null;
                }
            }
        }
        return DatasetView.of(s, state, epoch, model, reason, List.of());
    }
}
