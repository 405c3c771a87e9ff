package dev.meadow.service.messaging;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The Kafka records behind a batch message of a {@code batch=true} channel. */
public final class KafkaBatches {

    private KafkaBatches() {}

    @SuppressWarnings("unchecked")
    public static List<ConsumerRecord<String, byte[]>> records(Message<?> batch) {
        IncomingKafkaRecordBatchMetadata<String, byte[]> metadata = batch.getMetadata(
                        IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka batch: " + batch));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(metadata.count());
        metadata.getRecords().forEach(records::add);
        return records;
    }
}
