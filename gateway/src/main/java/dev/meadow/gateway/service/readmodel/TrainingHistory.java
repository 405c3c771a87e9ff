package dev.meadow.gateway.service.readmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.meadow.contracts.TrainingEvent;

/** Every training run's events, for training curves and the training queue. */
public final class TrainingHistory {

    private final Map<String, List<TrainingEvent>> runs = new ConcurrentHashMap<>();

    public void add(TrainingEvent event) {
        List<TrainingEvent> events = runs.computeIfAbsent(event.runId(), r -> new ArrayList<>());
        synchronized (events) {
            events.add(event);
        }
    }

    public List<TrainingEvent> events(String runId) {
        List<TrainingEvent> events = runs.get(runId);
        if (events == null) {
            return List.of();
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** One point per epoch (a resumed run may report an epoch twice; the last report counts). */
    public List<TrainingEvent> epochs(String runId) {
        TreeMap<Integer, TrainingEvent> byEpoch = new TreeMap<>();
        for (TrainingEvent event : events(runId)) {
            if (event.type() == TrainingEvent.Type.EPOCH) {
                byEpoch.put(event.epoch(), event);
            }
        }
        return List.copyOf(byEpoch.values());
    }

    /** Whether the run was cancelled (the trainer may still report an epoch it was in when it read that). */
    public boolean cancelled(String runId) {
        return events(runId).stream().anyMatch(e -> e.type() == TrainingEvent.Type.CANCELLED);
    }

    public Optional<TrainingEvent> latest(String runId) {
        List<TrainingEvent> events = events(runId);
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }
}
