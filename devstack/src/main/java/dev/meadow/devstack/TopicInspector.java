package dev.meadow.devstack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads topics directly, bypassing the services, so tests can check what really reached the broker. */
public final class TopicInspector implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;

    /** @param connection a Kafka client's connection and login, e.g. {@link DevStack#kafkaAdmin()} */
    public TopicInspector(java.util.Map<String, Object> connection) {
        Properties p = new Properties();
        p.putAll(connection);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Number of records ever written to the topic (sum of end offsets). */
    public long count(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        return consumer.endOffsets(partitions).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Every record from the beginning, until {@code until} holds; fails if it does not within the timeout. */
    public List<ConsumerRecord<String, byte[]>> await(
            String topic, Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = readUntil(topic, until, timeout);
        if (!until.test(records)) {
            throw new AssertionError("the awaited records did not arrive on " + topic + " within " + timeout + " ("
                    + records.size() + " records read)");
        }
        return records;
    }

    /** Every record from the beginning, until {@code until} holds or the timeout passes. */
    public List<ConsumerRecord<String, byte[]>> readUntil(
            String topic, Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration timeout) {
        List<TopicPartition> partitions = partitions(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!until.test(records) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    /**
     * Every committed record currently in the topic: reads until each partition's position reaches its end
     * (aborted transactional records count towards offsets but are never delivered).
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<TopicPartition> partitions = partitions(topic);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        return records;
    }

    private List<TopicPartition> partitions(String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
