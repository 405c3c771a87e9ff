package dev.meadow.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's view of the {@code models} topic: all published versions and the active one per kind. It reads
 * the compacted topic from the beginning (no consumer group: every instance sees every record) and follows it,
 * telling listeners when the active model of a kind changes.
 */
public final class ModelCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private final TopicFollower follower;
    private final Map<String, ModelPublished> published = new ConcurrentHashMap<>();
    private final Map<ModelKind, String> active = new EnumMap<>(ModelKind.class);
    private final List<Consumer<ModelKind>> listeners = new CopyOnWriteArrayList<>();

    /** @param connection the broker and login ({@link KafkaConnection#properties()}) */
    public ModelCatalog(Map<String, Object> connection, String clientId) {
        follower = new TopicFollower(connection, Topics.MODELS.name(), clientId, this::apply);
    }

    public ModelCatalog start() {
        follower.start();
        return this;
    }

    /** Waits until everything on the topic when the catalog started has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return follower.awaitCaughtUp(timeout);
    }

    /** Why the models topic is not being followed right now, or empty while it is. */
    public Optional<String> problem() {
        return follower.problem();
    }

    /** {@code listener} hears the kind whose active model changed (or whose active model became known). */
    public void onActiveChange(Consumer<ModelKind> listener) {
        listeners.add(listener);
    }

    public Optional<ModelPublished> active(ModelKind kind) {
        String id;
        synchronized (active) {
            id = active.get(kind);
        }
        return id == null ? Optional.empty() : published(kind, id);
    }

    public Optional<String> activeId(ModelKind kind) {
        synchronized (active) {
            return Optional.ofNullable(active.get(kind));
        }
    }

    public Optional<ModelPublished> published(ModelKind kind, String modelId) {
        return Optional.ofNullable(published.get(kind.id() + "/" + modelId));
    }

    /** Published versions of a kind, newest first. */
    public List<ModelPublished> all(ModelKind kind) {
        List<ModelPublished> list = new ArrayList<>();
        for (ModelPublished m : published.values()) {
            if (m.kind() == kind) {
                list.add(m);
            }
        }
        list.sort(Comparator.comparing(ModelPublished::publishedAt).reversed());
        return list;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ModelEvent event;
        try {
            event = Topics.MODELS.decode(record.value());
        } catch (InvalidMessageException e) {
            LOG.warn("Ignoring an invalid record on the models topic (offset {}): {}", record.offset(), e.getMessage());
            return;
        }
        ModelKind changed = null;
        if (event instanceof ModelPublished p) {
            published.put(p.key(), p);
            synchronized (active) {
                if (p.modelId().equals(active.get(p.kind()))) {
                    changed = p.kind();
                }
            }
        } else if (event instanceof ModelActivated a) {
            synchronized (active) {
                if (!a.modelId().equals(active.get(a.kind()))) {
                    active.put(a.kind(), a.modelId());
                    changed = a.kind();
                }
            }
        }
        if (changed != null) {
            for (Consumer<ModelKind> listener : listeners) {
                try {
                    listener.accept(changed);
                } catch (RuntimeException e) {
                    LOG.error("A model catalog listener failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
