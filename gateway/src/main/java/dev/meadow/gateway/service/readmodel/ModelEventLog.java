package dev.meadow.gateway.service.readmodel;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.meadow.contracts.ModelLoadEvent;

/** The latest model load events of the services (loaded, or refused and why). */
public final class ModelEventLog {

    private static final int KEEP = 50;

    private final Deque<ModelLoadEvent> events = new ArrayDeque<>();

    public synchronized void add(ModelLoadEvent event) {
        events.addFirst(event);
        while (events.size() > KEEP) {
            events.removeLast();
        }
    }

    /** Newest first. */
    public synchronized List<ModelLoadEvent> recent() {
        return List.copyOf(events);
    }
}
