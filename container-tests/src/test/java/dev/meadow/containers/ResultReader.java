package dev.meadow.containers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code generations} as a downstream consumer does (read committed, every partition from the start) and
 * keeps, for the jobs it was asked about, every result and which generator instance produced it.
 */
final class ResultReader implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> jobs;
    private final Map<String, List<GenerationResult>> results = new HashMap<>();
    private final Map<String, Integer> byGenerator = new TreeMap<>();
    private final Map<String, String> generatorOfJob = new HashMap<>();
    private Instant lastArrival;
    private final List<Long> timestamps = new ArrayList<>();

    ResultReader(Map<String, Object> kafka, Collection<String> jobs) {
        Properties p = new Properties();
        p.putAll(kafka);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.jobs = Set.copyOf(jobs);
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.GENERATIONS.name(), Duration.ofSeconds(60)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has arrived for up to {@code wait}; returns how many results of these jobs came in. */
    int poll(Duration wait) {
        int arrived = 0;
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (jobs.contains(record.key())) {
                    results.computeIfAbsent(record.key(), k -> new ArrayList<>())
                            .add(Topics.GENERATIONS.decode(record.value()));
                    Header generator = record.headers().lastHeader(GenerationResult.GENERATOR_HEADER);
                    String host = generator == null ? "?" : new String(generator.value());
                    byGenerator.merge(host, 1, Integer::sum);
                    generatorOfJob.put(record.key(), host);
                    lastArrival = Instant.now();
                    timestamps.add(record.timestamp());
                    arrived++;
                }
            }
        } while (System.nanoTime() < deadline);
        return arrived;
    }

    /** Reads until every job has a result; fails after {@code timeout}. */
    void awaitAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (results.size() < jobs.size()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(results.size() + " of " + jobs.size() + " jobs had a result after " + timeout);
            }
            poll(Duration.ofMillis(500));
        }
    }

    /** Reads until at least {@code count} jobs have a result, so that a failure meets work in flight. */
    void awaitAtLeast(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (results.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + results.size() + " of " + count + " results after " + timeout);
            }
            poll(Duration.ofMillis(200));
        }
    }

    /** The earliest result produced after {@code instant} (its record's time), if one has been read. */
    java.util.Optional<Instant> firstProducedAfter(Instant instant) {
        return timestamps.stream()
                .filter(t -> t > instant.toEpochMilli())
                .min(Long::compare)
                .map(Instant::ofEpochMilli);
    }

    int jobsDone() {
        return results.size();
    }

    Map<String, List<GenerationResult>> results() {
        return results;
    }

    /** Results per generator instance (host name of its container). */
    Map<String, Integer> byGenerator() {
        return byGenerator;
    }

    /** The generator instance that produced the job's last result read. */
    String generatorOf(String jobId) {
        return generatorOfJob.get(jobId);
    }

    Instant lastArrival() {
        return lastArrival;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
