package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The projection into the gallery's tables: records read twice, and outcomes that change, are counted once. */
@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class GalleryProjectionTest {

    private static final Instant AT = Instant.parse("2026-11-29T12:00:00Z");

    private static GenerationResult result(int index, GenerationResult.Status status) {
        GenerationRequest request =
                GenerationRequest.of("proj-00000" + index, "proj", index, "a calf number " + index, index, null, AT);
        return status == GenerationResult.Status.SUCCEEDED
                ? GenerationResult.succeeded(
                        request,
                        request.jobId() + ".png",
                        8,
                        8,
                        "m-proj",
                        "clip-1",
                        new GenerationResult.Timings(1, 2, 3),
                        AT.plusSeconds(index))
                : GenerationResult.failed(request, status, "because", AT.plusSeconds(index));
    }

    @Test
    void redeliveredRecordsAndChangedOutcomesAreCountedOnceAndTheOffsetsAreStoredWithThem() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        try (TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            BatchSubmitted submitted = BatchSubmitted.of("proj", 3, "api", "a calf number 0", AT);
            writer.send(Topics.BATCHES.name(), submitted.key(), Topics.BATCHES.encode(submitted));
            for (int i = 0; i < 3; i++) {
                writer.send(Topics.EMBEDDINGS.name(), "proj-00000" + i, "{}");
            }
            // Embedded twice (a redelivery), failed then retried with success, a success written twice, a cancel.
            writer.send(Topics.EMBEDDINGS.name(), "proj-000000", "{}");
            send(writer, result(0, GenerationResult.Status.FAILED));
            send(writer, result(1, GenerationResult.Status.SUCCEEDED));
            send(writer, result(2, GenerationResult.Status.CANCELLED));
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> given().when().get("/api/batches/proj").then().body("done", equalTo(3)));
            send(writer, result(0, GenerationResult.Status.SUCCEEDED));
            send(writer, result(1, GenerationResult.Status.SUCCEEDED));
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/batches/proj")
                        .then()
                        .body("generated", equalTo(2))
                        .body("failed", equalTo(0))
                        .body("cancelled", equalTo(1))
                        .body("embedded", equalTo(3))
                        .body("queued", equalTo(0))
                        .body("finished", equalTo(true)));
        given().queryParam("batch", "proj")
                .when()
                .get("/api/images")
                .then()
                .body("total", equalTo(2))
                .body("items.jobId", org.hamcrest.Matchers.contains("proj-000001", "proj-000000"));
        given().queryParam("batch", "proj")
                .queryParam("q", "calf")
                .when()
                .get("/api/images")
                .then()
                .body("total", equalTo(2));

        // Once caught up, the offsets in the database are the topics' ends, and readiness says there is no lag.
        Map<String, Object> readCommitted = new java.util.HashMap<>(stack.kafkaAdmin());
        readCommitted.put("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(readCommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                Connection db = stack.connectAsOwner()) {
            var partitions = consumer.partitionsFor(Topics.GENERATIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            long end = consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            await().atMost(Duration.ofSeconds(20)).until(() -> stored(db, Topics.GENERATIONS.name()) == end);
            try (PreparedStatement s = db.prepareStatement(
                            "SELECT images FROM gallery_totals, (SELECT count(*) AS n FROM jobs WHERE status = 'SUCCEEDED') c"
                                    + " WHERE images = c.n");
                    ResultSet rs = s.executeQuery()) {
                assertThat(rs.next())
                        .as("the kept total equals the images in the table")
                        .isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'Gallery following Kafka' }.data.lag", equalTo(0)));
    }

    @Test
    void recordsTheDatabaseCannotHoldAreSkippedAndTheProjectionGoesOn() {
        GenerationRequest request = GenerationRequest.of("poison-000000", "poison", 0, "a poison prompt", 1, null, AT);
        String good = new String(
                Topics.GENERATIONS.encode(GenerationResult.succeeded(
                        request, "p.png", 8, 8, "m-p", "clip-1", new GenerationResult.Timings(1, 2, 3), AT)),
                java.nio.charset.StandardCharsets.UTF_8);
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            BatchSubmitted submitted = BatchSubmitted.of("poison", 3, "api", "a poison prompt", AT);
            writer.send(Topics.BATCHES.name(), submitted.key(), Topics.BATCHES.encode(submitted));
            // A NUL in the prompt and a year PostgreSQL cannot store, as a producer other than Meadow's might write.
            writer.send(
                    Topics.GENERATIONS.name(),
                    "poison-000001",
                    good.replace("poison-000000", "poison-000001").replace("a poison prompt", "a poison\\u0000prompt"));
            writer.send(
                    Topics.GENERATIONS.name(),
                    "poison-000002",
                    good.replace("poison-000000", "poison-000002")
                            .replace("\"2026-11-29T12:00:00Z\"", "\"+20000-01-01T00:00:00Z\""));
            writer.send(Topics.GENERATIONS.name(), "poison-000000", good);
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("batch", "poison")
                        .when()
                        .get("/api/images")
                        .then()
                        .statusCode(200)
                        .body("items.jobId", org.hamcrest.Matchers.contains("poison-000000")));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void resultsOfNoQueuedBatchNeverReachTheGalleryAndAreDeadLetteredWithTheirReason() {
        DevStack stack = DevStackTestResource.stack();
        try (TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            BatchSubmitted submitted = BatchSubmitted.of("forged", 2, "api", "a forged lamb 0", AT);
            writer.send(Topics.BATCHES.name(), submitted.key(), Topics.BATCHES.encode(submitted));
            send(writer, forged("forged-000000", "forged", 0));
            send(writer, forged("forged-000001", "forged", 1));
            // What anyone who can write the topic could add: past the total, a second id for a slot, no batch.
            send(writer, forged("forged-000002", "forged", 2));
            send(writer, forged("forged-000000-again", "forged", 0));
            send(writer, forged("ghost-000000", "ghost", 0));
            writer.send(Topics.EMBEDDINGS.name(), "forged-000000", "{}");
            writer.send(Topics.EMBEDDINGS.name(), "forged-000007", "{}");
            writer.send(Topics.EMBEDDINGS.name(), "ghost-000000", "{}");
            // A second submission record, smaller, as a replay or a forger would write it: the first one counts.
            BatchSubmitted again = BatchSubmitted.of("forged", 1, "api", "a forged lamb, again", AT);
            writer.send(Topics.BATCHES.name(), again.key(), Topics.BATCHES.encode(again));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/batches/forged")
                        .then()
                        .body("generated", equalTo(2))
                        .body("embedded", equalTo(1))
                        .body("total", equalTo(2)));
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            List<String> reasons = inspector
                    .await(
                            Topics.GENERATIONS.deadLetterTopic(),
                            records -> records.stream()
                                            .filter(r -> r.key().startsWith("forged-0000")
                                                    || r.key().startsWith("ghost-"))
                                            .count()
                                    >= 3,
                            Duration.ofSeconds(30))
                    .stream()
                    .filter(r -> r.key().startsWith("forged-0000") || r.key().startsWith("ghost-"))
                    .map(r -> r.key() + ": "
                            + new String(
                                    r.headers()
                                            .lastHeader(Topics.DEAD_LETTER_REASON)
                                            .value(),
                                    java.nio.charset.StandardCharsets.UTF_8))
                    .toList();
            // Each refusal once: one held behind a record whose batch is still coming is dead-lettered with it.
            assertThat(reasons.stream().map(r -> r.substring(0, r.indexOf(':'))))
                    .containsExactlyInAnyOrder("forged-000002", "forged-000000-again", "ghost-000000");
            assertThat(reasons)
                    .anySatisfy(
                            r -> assertThat(r).startsWith("forged-000002: ").contains("not below its batch's total 2"))
                    .anySatisfy(r -> assertThat(r)
                            .startsWith("forged-000000-again: ")
                            .contains("is not batch forged's job number 0"))
                    .anySatisfy(r -> assertThat(r).startsWith("ghost-000000: ").contains("never submitted"));
        }
        given().when()
                .get("/api/batches/forged")
                .then()
                .body("total", equalTo(2))
                .body("generated", equalTo(2));
        given().queryParam("batch", "forged")
                .when()
                .get("/api/images")
                .then()
                .body("total", equalTo(2))
                .body("items.jobId", org.hamcrest.Matchers.containsInAnyOrder("forged-000000", "forged-000001"));
        given().queryParam("q", "forged").when().get("/api/images").then().body("total", equalTo(2));
        given().queryParam("batch", "ghost").when().get("/api/images").then().body("total", equalTo(0));
    }

    private static GenerationResult forged(String jobId, String batchId, int index) {
        GenerationRequest request =
                GenerationRequest.of(jobId, batchId, index, "a forged lamb " + index, index, null, AT);
        return GenerationResult.succeeded(
                request, jobId + ".png", 8, 8, "m-forged", "clip-1", new GenerationResult.Timings(1, 2, 3), AT);
    }

    private static void send(TopicWriter writer, GenerationResult result) {
        writer.send(Topics.GENERATIONS.name(), result.jobId(), Topics.GENERATIONS.encode(result));
    }

    private static long stored(Connection db, String topic) throws Exception {
        try (PreparedStatement s =
                db.prepareStatement("SELECT coalesce(sum(next_offset), 0) FROM projection_offsets WHERE topic = ?")) {
            s.setString(1, topic);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
