package dev.meadow.gateway.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import dev.meadow.gateway.config.DataSources;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.gallery.BatchMembership;
import dev.meadow.gateway.service.gallery.GalleryWriter;
import dev.meadow.retry.Backoff;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.service.messaging.DeadLetters;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Projects {@code generations}, {@code embeddings} and {@code batches} into the gallery's tables, exactly once: each
 * chunk of records is written in one database transaction together with the offsets it reaches, and reading resumes
 * from the offsets in the database, never from Kafka's. Gateway instances sharing a database take turns: the one
 * holding a PostgreSQL advisory lock projects (the lock belongs to its connection, so it is released when that
 * instance or its connection dies), the others wait to take over. Every instance measures how far the gallery lags
 * behind the topics, which its readiness reports.
 */
@Startup
@ApplicationScoped
public class GalleryProjection {

    private static final Logger LOG = LoggerFactory.getLogger(GalleryProjection.class);
    /** The advisory lock that makes one gateway instance the projecting one ("meadow" in ASCII). */
    private static final long LOCK = 0x6d6561646f77L;

    private static final TopicPartition BATCHES = new TopicPartition(Topics.BATCHES.name(), 0);
    private static final List<String> TOPICS =
            List.of(Topics.GENERATIONS.name(), Topics.EMBEDDINGS.name(), Topics.BATCHES.name());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Duration TAKE_OVER_INTERVAL = Duration.ofSeconds(2);
    private static final Duration LAG_INTERVAL = Duration.ofSeconds(2);

    /** How far behind the topics the gallery was at {@code measuredAtNanos}, in records. */
    public record Lag(long records, long measuredAtNanos) {}

    private final DataSource dataSource;
    private final MutinyEmitter<byte[]> deadLetters;
    private final GatewayConfig.Gallery config;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile String problem = "not started yet";
    private volatile boolean projecting;
    private volatile Lag lag;
    /** For each job held for its batch (topic/partition/offset), the batches topic's end when it was first read. */
    private Map<String, Long> endWhenFirstHeld = new HashMap<>();

    private Connection connection;
    private GalleryWriter writer;
    private List<TopicPartition> partitions;
    private long lastLagCheck;

    GalleryProjection(
            @io.quarkus.agroal.DataSource(DataSources.WRITER) DataSource dataSource,
            GatewayConfig config,
            KafkaTopicsConfig kafka,
            ServiceConfig service,
            @Channel("gallery-dead-letters") MutinyEmitter<byte[]> deadLetters) {
        this.dataSource = dataSource;
        this.deadLetters = deadLetters;
        this.config = config.gallery();
        Properties p = new Properties();
        p.putAll(kafka.connection());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, service.instanceId() + "-gallery");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A stored offset the log no longer has (retention, a recreated cluster) restarts from the beginning: every
        // write is idempotent, so reading again costs time, where skipping to the end would lose images.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(this.config.chunkSize()));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        lastLagCheck = System.nanoTime() - LAG_INTERVAL.toNanos();
        thread = new Thread(this::run, "gallery-projection");
        thread.setDaemon(true);
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    /** Why the gallery is not following the topics now, or empty while it is. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Whether this instance is the one projecting (else another instance holds the lock). */
    public boolean isProjecting() {
        return projecting;
    }

    /** The last measured lag, or empty until the first measurement. */
    public Optional<Lag> lag() {
        return Optional.ofNullable(lag);
    }

    private void run() {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        try {
            while (running) {
                try {
                    if (connection == null && !takeOver()) {
                        measureLagIfDue();
                        problem = null;
                        pause(TAKE_OVER_INTERVAL);
                        continue;
                    }
                    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(300));
                    if (!records.isEmpty() || lagIsDue()) {
                        write(records);
                    }
                    measureLagIfDue();
                    if (problem != null) {
                        LOG.info("Gallery projection running again");
                    }
                    problem = null;
                    backoff.reset();
                } catch (WakeupException | InterruptException e) {
                    Thread.interrupted();
                } catch (SQLException | RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    String source =
                            e instanceof SQLException ? "database: " : e instanceof KafkaException ? "kafka: " : "";
                    Duration delay = backoff.next();
                    String why = source + e.getMessage() + "; retrying in " + delay.toMillis() + " ms";
                    if (problem == null) {
                        LOG.warn("Gallery projection paused: {}", why);
                    }
                    problem = why;
                    // Start over from the offsets in the database: what was read since is read again.
                    release();
                    pause(delay);
                }
            }
        } catch (Throwable e) {
            if (running) {
                problem = "stopped: " + e;
                LOG.error("Gallery projection stopped", e);
            }
        } finally {
            release();
            Thread.interrupted();
            consumer.close(Duration.ZERO); // offsets live in the database: nothing to wait for
        }
    }

    /** Takes the lock if no other instance holds it, and positions the consumer where the database says. */
    private boolean takeOver() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            boolean locked;
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet row = lock.executeQuery()) {
                    locked = row.next() && row.getBoolean(1);
                }
            }
            if (!locked) {
                c.close();
                projecting = false;
                return false;
            }
            connection = c;
            writer = new GalleryWriter(c);
            partitions = partitions();
            consumer.assign(partitions);
            Map<String, Map<Integer, Long>> stored = writer.offsets();
            List<TopicPartition> fresh = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                Long next = stored.getOrDefault(partition.topic(), Map.of()).get(partition.partition());
                if (next == null) {
                    fresh.add(partition);
                } else {
                    consumer.seek(partition, next);
                }
            }
            // An empty list would seek every assigned partition to its beginning: a replay of everything.
            if (!fresh.isEmpty()) {
                consumer.seekToBeginning(fresh);
            }
            projecting = true;
            LOG.info("Projecting the topics into the gallery from the offsets it stored");
            return true;
        } catch (SQLException | RuntimeException e) {
            release();
            closeQuietly(c);
            throw e;
        }
    }

    private List<TopicPartition> partitions() {
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : TOPICS) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new KafkaException("topic " + topic + " does not exist yet");
            }
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
        }
        return all;
    }

    /**
     * Writes a chunk with the consumer's positions on every partition: those move past records that are not
     * handed out too (transaction markers), which the offsets of the records alone would never reach. Jobs that
     * do not belong to a batch the gateway queued ({@link BatchMembership}) are left out: results are dead-lettered
     * with the reason; a job whose batch may still be on its way is read again once the batches topic has caught up.
     */
    private void write(ConsumerRecords<String, byte[]> records) throws SQLException {
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            positions.put(partition, consumer.position(partition));
        }
        Chunk chunk = new Chunk();
        records.forEach(chunk::add);
        Map<String, Integer> totals = new HashMap<>(writer.totals(chunk.batchIds()));
        chunk.batches.forEach(event -> {
            if (event instanceof BatchSubmitted submitted) {
                // The first submission of a batch counts, as in the table.
                totals.putIfAbsent(submitted.batchId(), submitted.total());
            }
        });
        Membership membership = new Membership(totals);
        chunk.results
                .values()
                .removeIf(r -> !membership.admits(
                        r.record(),
                        r.result().jobId(),
                        r.result().batchId(),
                        r.result().index()));
        chunk.embedded
                .values()
                .removeIf(e -> !membership.admits(
                        e.record(), e.job().jobId(), e.job().batchId(), e.job().index()));
        for (var held : membership.heldFrom.entrySet()) {
            positions.put(held.getKey(), held.getValue());
            consumer.seek(held.getKey(), held.getValue());
        }
        endWhenFirstHeld = membership.stillHeld;
        // Dead letters before the chunk commits: a crash in between dead-letters them again, never loses them.
        // Those past a held record are read again with it, and dead-lettered then.
        for (var refused : membership.refusedBefore(membership.heldFrom)) {
            LOG.warn("Dead-lettering result {}: {}", refused.record().key(), refused.reason());
            deadLetters.sendMessageAndAwait(DeadLetters.of(refused.record(), refused.reason()));
        }
        List<GalleryWriter.Offset> offsets = positions.entrySet().stream()
                .map(e ->
                        new GalleryWriter.Offset(e.getKey().topic(), e.getKey().partition(), e.getValue()))
                .toList();
        try {
            writer.write(chunk.results(), chunk.embeddedJobs(), chunk.batches, offsets);
        } catch (SQLException e) {
            if (!GalleryWriter.isBadData(e)) {
                throw e;
            }
            // A record the database refuses: write the chunk one record at a time and skip the bad ones.
            LOG.warn("The database refused a chunk ({}); writing its records one at a time", e.getMessage());
            for (Chunk single : chunk.singles()) {
                try {
                    writer.write(single.results(), single.embeddedJobs(), single.batches, List.of());
                } catch (SQLException refused) {
                    if (!GalleryWriter.isBadData(refused)) {
                        throw refused;
                    }
                    LOG.warn("Skipping a record the database refused: {}", refused.getMessage());
                }
            }
            writer.write(List.of(), List.of(), List.of(), offsets);
        }
    }

    /** Sorts a chunk's jobs into members, refusals, and those to read again once every batch is known. */
    private final class Membership {
        final Map<String, Integer> totals;
        final List<Refused> refused = new ArrayList<>();
        final Map<TopicPartition, Long> heldFrom = new HashMap<>();
        final Map<String, Long> stillHeld = new HashMap<>();
        private Long currentEnd;

        Membership(Map<String, Integer> totals) {
            this.totals = totals;
        }

        List<Refused> refusedBefore(Map<TopicPartition, Long> held) {
            return refused.stream()
                    .filter(r -> r.record().offset()
                            < held.getOrDefault(
                                    new TopicPartition(
                                            r.record().topic(), r.record().partition()),
                                    Long.MAX_VALUE))
                    .toList();
        }

        boolean admits(ConsumerRecord<String, byte[]> record, String jobId, String batchId, int index) {
            BatchMembership.Verdict verdict = BatchMembership.of(jobId, batchId, index, totals.get(batchId));
            String reason = verdict.reason();
            if (verdict.kind() == BatchMembership.Kind.MEMBER) {
                return true;
            }
            if (verdict.kind() == BatchMembership.Kind.UNKNOWN_BATCH) {
                // A batch's submission commits before any of its jobs can be embedded or drawn: it lies below the
                // end the batches topic had when the job was first read. Once that much is read, it never was.
                String key = record.topic() + "/" + record.partition() + "/" + record.offset();
                long end = endWhenFirstHeld.containsKey(key) ? endWhenFirstHeld.get(key) : currentEnd();
                if (consumer.position(BATCHES) < end) {
                    stillHeld.put(key, end);
                    heldFrom.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
                    return false;
                }
                reason = BatchMembership.unknownBatch(jobId, batchId);
            }
            if (record.topic().equals(Topics.GENERATIONS.name())) {
                refused.add(new Refused(record, reason));
            } else {
                LOG.warn("Not counting {} of {}: {}", record.key(), record.topic(), reason);
            }
            return false;
        }

        private long currentEnd() {
            if (currentEnd == null) {
                currentEnd = consumer.endOffsets(List.of(BATCHES)).get(BATCHES);
            }
            return currentEnd;
        }
    }

    private record Refused(ConsumerRecord<String, byte[]> record, String reason) {}

    /** A result and the (latest) record it came in. */
    private record ReadResult(GenerationResult result, ConsumerRecord<String, byte[]> record) {}

    /** An embedded job and the (first) record it came in: read again from there if held. */
    private record ReadEmbedded(GalleryWriter.Embedded job, ConsumerRecord<String, byte[]> record) {}

    /** Records decoded and reduced to the latest per key. */
    private static final class Chunk {
        final Map<String, ReadResult> results = new LinkedHashMap<>();
        final Map<String, ReadEmbedded> embedded = new LinkedHashMap<>();
        final List<BatchEvent> batches = new ArrayList<>();

        void add(ConsumerRecord<String, byte[]> record) {
            if (record.value() == null || record.key() == null) {
                return;
            }
            try {
                if (record.topic().equals(Topics.GENERATIONS.name())) {
                    GenerationResult result = Topics.GENERATIONS.decode(record.value());
                    if (GalleryWriter.isStorable(result)) {
                        results.remove(result.jobId());
                        results.put(result.jobId(), new ReadResult(result, record));
                    } else {
                        LOG.warn("Skipping result {}: a time or text PostgreSQL cannot store", result.jobId());
                    }
                } else if (record.topic().equals(Topics.EMBEDDINGS.name())) {
                    embeddedJob(record.key())
                            .ifPresent(e -> embedded.putIfAbsent(e.jobId(), new ReadEmbedded(e, record)));
                } else {
                    BatchEvent event = Topics.BATCHES.decode(record.value());
                    if (GalleryWriter.isStorable(event)) {
                        batches.add(event);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn(
                        "Skipping record {}@{} of {}: {}",
                        record.partition(),
                        record.offset(),
                        record.topic(),
                        e.getMessage());
            }
        }

        Set<String> batchIds() {
            Set<String> ids = new HashSet<>();
            results.values().forEach(r -> ids.add(r.result().batchId()));
            embedded.values().forEach(e -> ids.add(e.job().batchId()));
            return ids;
        }

        List<GenerationResult> results() {
            return results.values().stream().map(ReadResult::result).toList();
        }

        List<GalleryWriter.Embedded> embeddedJobs() {
            return embedded.values().stream().map(ReadEmbedded::job).toList();
        }

        /** The chunk one item at a time. */
        List<Chunk> singles() {
            List<Chunk> singles = new ArrayList<>();
            results.forEach((id, r) -> singles.add(single(c -> c.results.put(id, r))));
            embedded.forEach((id, e) -> singles.add(single(c -> c.embedded.put(id, e))));
            batches.forEach(b -> singles.add(single(c -> c.batches.add(b))));
            return singles;
        }

        private static Chunk single(java.util.function.Consumer<Chunk> fill) {
            Chunk chunk = new Chunk();
            fill.accept(chunk);
            return chunk;
        }
    }

    /** A gateway job id is {@code <batchId>-<index>}; anything else has no batch to count it in. */
    static Optional<GalleryWriter.Embedded> embeddedJob(String jobId) {
        int dash = jobId.lastIndexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new GalleryWriter.Embedded(
                    jobId, jobId.substring(0, dash), Integer.parseInt(jobId.substring(dash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean lagIsDue() {
        return System.nanoTime() - lastLagCheck >= LAG_INTERVAL.toNanos();
    }

    /**
     * Compares the topics' ends with the offsets stored in the database, every couple of seconds. The projecting
     * instance asks on its own connection, which keeps that connection (and its lock) known to be alive.
     */
    private void measureLagIfDue() throws SQLException {
        if (!lagIsDue()) {
            return;
        }
        List<TopicPartition> all = partitions != null ? partitions : partitions();
        Map<TopicPartition, Long> ends = consumer.endOffsets(all);
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(all);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        boolean own = connection != null;
        Connection c = own ? connection : dataSource.getConnection();
        try (PreparedStatement select =
                        c.prepareStatement("SELECT topic, partition, next_offset FROM projection_offsets");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                offsets.put(new TopicPartition(rows.getString(1), rows.getInt(2)), rows.getLong(3));
            }
        } finally {
            if (own) {
                c.commit();
            } else {
                c.close();
            }
        }
        long behind = 0;
        for (var end : ends.entrySet()) {
            long from = Math.max(offsets.getOrDefault(end.getKey(), 0L), beginnings.getOrDefault(end.getKey(), 0L));
            behind += Math.max(0, end.getValue() - from);
        }
        lag = new Lag(behind, System.nanoTime());
        lastLagCheck = System.nanoTime();
    }

    private void release() {
        projecting = false;
        writer = null;
        partitions = null;
        if (connection != null) {
            // The connection goes back to the pool, its session (and a session's lock) with it: unlock first. When
            // that fails, the connection is aborted rather than pooled, which ends its session and the lock.
            try {
                connection.rollback();
                connection.setAutoCommit(true);
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock_all()")) {
                    unlock.execute();
                }
                closeQuietly(connection);
            } catch (SQLException e) {
                LOG.debug("Unlocking the gallery failed; dropping its connection", e);
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException ignored) {
                    closeQuietly(connection);
                }
            }
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("Closing a gallery connection failed", e);
        }
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

    @PreDestroy
    void stop() {
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
