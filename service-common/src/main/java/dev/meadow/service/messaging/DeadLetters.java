package dev.meadow.service.messaging;

import java.nio.charset.StandardCharsets;

import dev.meadow.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds the record that carries an unprocessable input to its topic's dead-letter topic, with the reason. */
public final class DeadLetters {

    private DeadLetters() {}

    public static Message<byte[]> of(ConsumerRecord<String, byte[]> source, String reason) {
        return of(source.topic(), source.partition(), source.offset(), source.key(), source.value(), reason);
    }

    public static Message<byte[]> of(
            String topic, int partition, long offset, String key, byte[] value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DEAD_LETTER_REASON, bytes(reason));
        headers.add(Topics.DEAD_LETTER_TOPIC, bytes(topic));
        headers.add(Topics.DEAD_LETTER_PARTITION, bytes(String.valueOf(partition)));
        headers.add(Topics.DEAD_LETTER_OFFSET, bytes(String.valueOf(offset)));
        return Message.of(value == null ? new byte[0] : value)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(topic + ".dlq")
                        .withKey(key)
                        .withHeaders(headers)
                        .build());
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
