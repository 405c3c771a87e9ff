package dev.meadow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class DevStackRestartTest {

    @TempDir
    Path data;

    @Test
    void topicsRecordsAndObjectsSurviveARestartOnTheSameDirectory() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), 0, 0, "admin-secret");
                EmbeddedObjectStore store =
                        EmbeddedObjectStore.start(data.resolve("objects"), 0, "ak", "secret-key-1")) {
            try (Admin admin = Admin.create(kafka.adminConnection())) {
                admin.createTopics(List.of(new NewTopic("greetings", 3, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = producer(kafka.adminConnection())) {
                producer.send(new ProducerRecord<>("greetings", "k", "hello meadow"))
                        .get();
            }
            MinioClient client = client(store);
            client.makeBucket(MakeBucketArgs.builder().bucket("things").build());
            byte[] body = "a cow in the grass".getBytes(StandardCharsets.UTF_8);
            client.putObject(PutObjectArgs.builder().bucket("things").object("a/b.txt").stream(
                            new ByteArrayInputStream(body), body.length, -1)
                    .build());
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), 0, 0, "admin-secret");
                EmbeddedObjectStore store =
                        EmbeddedObjectStore.start(data.resolve("objects"), 0, "ak", "secret-key-1")) {
            try (Admin admin = Admin.create(kafka.adminConnection())) {
                Set<String> topics = admin.listTopics().names().get();
                assertThat(topics).contains("greetings");
                assertThat(admin.describeTopics(List.of("greetings"))
                                .allTopicNames()
                                .get()
                                .get("greetings")
                                .partitions())
                        .hasSize(3);
            }
            assertThat(readAll(kafka.adminConnection(), "greetings")).containsExactly("hello meadow");

            MinioClient client = client(store);
            assertThat(client.bucketExists(
                            BucketExistsArgs.builder().bucket("things").build()))
                    .isTrue();
            try (var in = client.getObject(
                    GetObjectArgs.builder().bucket("things").object("a/b.txt").build())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("a cow in the grass");
            }
        }
    }

    @Test
    void objectStoreRejectsRequestsSignedWithTheWrongSecret() throws Exception {
        try (EmbeddedObjectStore store = EmbeddedObjectStore.start(data, 0, "ak", "right-secret")) {
            MinioClient wrong = MinioClient.builder()
                    .endpoint(store.endpoint().toString())
                    .credentials("ak", "wrong-secret")
                    .build();
            assertThatThrownBy(() -> wrong.makeBucket(
                            MakeBucketArgs.builder().bucket("nope").build()))
                    .isInstanceOfSatisfying(
                            ErrorResponseException.class,
                            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
        }
    }

    private static MinioClient client(EmbeddedObjectStore store) {
        return MinioClient.builder()
                .endpoint(store.endpoint().toString())
                .credentials("ak", "secret-key-1")
                .build();
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> connection) {
        Properties p = new Properties();
        p.putAll(connection);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<String> readAll(Map<String, Object> connection, String topic) {
        Properties p = new Properties();
        p.putAll(connection);
        p.put("group.id", "reader-" + System.nanoTime());
        p.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
