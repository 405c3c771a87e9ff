package dev.meadow.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.meadow.contracts.InvalidMessageException;
import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's view of the {@code models} topic: all published versions and the active one per kind. It reads
 * the compacted topic from the beginning (no consumer group: every instance sees every record) and follows it,
 * telling listeners when the active model of a kind changes.
 */
public final class ModelCatalog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalog.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, ModelPublished> published = new ConcurrentHashMap<>();
    private final Map<ModelKind, String> active = new EnumMap<>(ModelKind.class);
    private final List<Consumer<ModelKind>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    public ModelCatalog(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "model-catalog");
        thread.setDaemon(true);
    }

    public ModelCatalog start() {
        thread.start();
        return this;
    }

    /** Waits until everything on the topic when the catalog started has been read. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    private void run() {
        try {
            List<TopicPartition> partitions = awaitPartitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("The model catalog stopped following the models topic", e);
            }
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.MODELS.name(), Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ModelEvent event;
        try {
            event = Topics.MODELS.decode(record.value());
        } catch (InvalidMessageException e) {
            LOG.warn("Ignoring an invalid record on the models topic (offset {}): {}", record.offset(),
                    e.getMessage());
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
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
