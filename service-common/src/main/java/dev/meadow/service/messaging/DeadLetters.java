package dev.meadow.service.messaging;

import java.nio.charset.StandardCharsets;

import dev.meadow.contracts.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Builds the record that carries an unprocessable input to its topic's dead-letter topic, with the reason. */
public final class DeadLetters {

    private DeadLetters() {
    }

    public static Message<byte[]> of(ConsumerRecord<String, byte[]> source, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.DEAD_LETTER_REASON, bytes(reason));
        headers.add(Topics.DEAD_LETTER_TOPIC, bytes(source.topic()));
        headers.add(Topics.DEAD_LETTER_PARTITION, bytes(String.valueOf(source.partition())));
        headers.add(Topics.DEAD_LETTER_OFFSET, bytes(String.valueOf(source.offset())));
        byte[] value = source.value() == null ? new byte[0] : source.value();
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(source.topic() + ".dlq")
                .withKey(source.key())
                .withHeaders(headers)
                .build());
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
