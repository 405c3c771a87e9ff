package dev.meadow.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.meadow.retry.Backoff;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a topic from its beginning and follows it, handing every committed record to a handler on one thread.
 * No consumer group: every instance sees every record, which is what a read model rebuilt from Kafka needs.
 * A broker that cannot be reached (at start or later) is retried with backoff for as long as the follower runs;
 * {@link #problem()} says meanwhile why the topic is not being followed, and for good if the thread has died.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** How long the follower goes without hearing from the broker before it checks that it is still there. */
    private static final Duration CONTACT_INTERVAL = Duration.ofSeconds(10);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Duration metadataTimeout;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile String problem;

    /** @param connection the broker and login ({@link KafkaConnection#properties()}) */
    public TopicFollower(
            Map<String, Object> connection,
            String topic,
            String clientId,
            Consumer<ConsumerRecord<String, byte[]>> handler) {
        this(connection, topic, clientId, handler, Duration.ofSeconds(10));
    }

    /** @param metadataTimeout how long one attempt to find the topic's partitions may wait for the broker */
    public TopicFollower(
            Map<String, Object> connection,
            String topic,
            String clientId,
            Consumer<ConsumerRecord<String, byte[]>> handler,
            Duration metadataTimeout) {
        this.topic = topic;
        this.handler = handler;
        this.metadataTimeout = metadataTimeout;
        Properties p = new Properties();
        p.putAll(connection);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(metadataTimeout.toMillis()));
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(this::run, "follow-" + topic);
        thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    public String topic() {
        return topic;
    }

    /** Waits until everything that was on the topic when following began has been handled. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Why the topic is not being followed right now ("not followed: ..." while retrying, "stopped: ..." once the
     * thread has died), or empty while it is.
     */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    private void run() {
        try {
            follow();
        } catch (Throwable e) {
            // An Error (out of memory, say) ends the thread: say so for good, rather than leave a frozen view.
            if (running) {
                problem = "stopped: " + e;
                LOG.error("Stopped following {}", topic, e);
            }
        } finally {
            // A handler may leave the interrupt flag set; a consumer closed with it logs an error.
            Thread.interrupted();
            consumer.close(Duration.ZERO); // nothing to commit: no group, so no reason to wait on the broker
        }
    }

    private void follow() {
        Map<TopicPartition, Long> end = null;
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        long lastContact = System.nanoTime();
        while (running) {
            try {
                if (end == null) {
                    List<TopicPartition> partitions = partitions();
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    end = consumer.endOffsets(partitions);
                    lastContact = System.nanoTime();
                }
                var records = consumer.poll(Duration.ofMillis(300));
                for (ConsumerRecord<String, byte[]> record : records) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        LOG.warn(
                                "Skipping record {}@{} of {}: {}",
                                record.partition(),
                                record.offset(),
                                topic,
                                e.getMessage());
                    }
                }
                if (!records.isEmpty()) {
                    lastContact = System.nanoTime();
                }
                // poll() answers "nothing new" when the broker is gone, too: ask it something now and then, so
                // that an outage after the start is noticed (this throws when the broker cannot be reached).
                if (problem != null || System.nanoTime() - lastContact > CONTACT_INTERVAL.toNanos()) {
                    consumer.endOffsets(end.keySet());
                    lastContact = System.nanoTime();
                }
                if (caughtUp.getCount() > 0
                        && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
                if (problem != null) {
                    LOG.info("Following {} again", topic);
                    problem = null;
                }
                backoff.reset();
            } catch (WakeupException | InterruptException e) {
                if (!running) {
                    return;
                }
                // Kafka sets the interrupt flag again: clear it, or every later call would fail at once.
                Thread.interrupted();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Duration delay = backoff.next();
                String why = "not followed: " + e.getMessage() + "; retrying in " + delay.toMillis() + " ms";
                if (problem == null) {
                    LOG.warn("Topic {} {}", topic, why);
                }
                problem = why;
                pause(delay);
            }
        }
    }

    private List<TopicPartition> partitions() {
        var infos = consumer.partitionsFor(topic, metadataTimeout);
        if (infos == null || infos.isEmpty()) {
            throw new KafkaException("topic " + topic + " does not exist yet");
        }
        return infos.stream()
                .map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
    }

    /** Waits, or returns early once stopping. */
    private void pause(Duration duration) {
        try {
            stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        // No interrupt: a consumer closed by an interrupted thread logs "Failed to close fetcher" as an error.
        stopping.countDown();
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
