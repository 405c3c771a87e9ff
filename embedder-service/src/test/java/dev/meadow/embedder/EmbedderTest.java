package dev.meadow.embedder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.SnapshotEmbeddings;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.dataset.EmbeddingMatrix;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class EmbedderTest {

    static ObjectStore store;

    @BeforeAll
    static void publishTinyClip() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
        try (ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin())) {
            seeding.publish(TinyModels.get().clip(), true);
        }
    }

    private static java.util.Map<String, Object> kafkaAdmin() {
        return DevStackTestResource.stack().kafkaAdmin();
    }

    @Test
    void promptsAreEmbeddedOnceEachAndPoisonGoesToTheDeadLetterTopic() {
        Instant now = Instant.now();
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            for (int i = 0; i < 20; i++) {
                String prompt = i % 2 == 0 ? "two brown cows on green grass" : "a white sheep in the snow " + i;
                GenerationRequest r = GenerationRequest.of("emb-" + i, "emb", i, prompt, i, null, now);
                writer.send(Topics.PROMPTS.name(), r.jobId(), Topics.PROMPTS.encode(r));
                if (i == 7) {
                    writer.send(Topics.PROMPTS.name(), "poison-1", "{not json");
                    writer.send(
                            Topics.PROMPTS.name(),
                            "poison-2",
                            "{\"version\":1,\"jobId\":\"p2\",\"batchId\":\"emb\",\"index\":0,\"prompt\":\"\","
                                    + "\"seed\":1,\"submittedAt\":\"2026-01-01T00:00:00Z\"}");
                }
            }
        }
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> records =
                    inspector.readUntil(Topics.EMBEDDINGS.name(), r -> ours(r).size() >= 20, Duration.ofSeconds(90));
            List<EmbeddedPrompt> embedded = ours(records);
            assertThat(embedded).hasSize(20);
            assertThat(embedded).extracting(e -> e.request().jobId()).doesNotHaveDuplicates();
            assertThat(embedded).allSatisfy(e -> {
                assertThat(e.clipModelId()).isEqualTo(TinyModels.CLIP_ID);
                assertThat(e.embedding()).hasSize(16);
                double norm = 0;
                for (float v : e.embedding()) {
                    norm += v * v;
                }
                assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            });
            Map<String, List<EmbeddedPrompt>> byPrompt = embedded.stream()
                    .collect(Collectors.groupingBy(e -> e.request().prompt()));
            List<EmbeddedPrompt> cows = byPrompt.get("two brown cows on green grass");
            assertThat(cows).hasSize(10);
            assertThat(cows.get(1).embedding()).containsExactly(cows.get(0).embedding());

            List<ConsumerRecord<String, byte[]>> dead =
                    inspector.readUntil(Topics.PROMPTS.deadLetterTopic(), r -> r.size() >= 2, Duration.ofSeconds(30));
            assertThat(dead).extracting(ConsumerRecord::key).contains("poison-1", "poison-2");
            Map<String, String> reasons = dead.stream()
                    .collect(Collectors.toMap(
                            ConsumerRecord::key,
                            r -> new String(
                                    r.headers()
                                            .lastHeader(Topics.DEAD_LETTER_REASON)
                                            .value(),
                                    StandardCharsets.UTF_8),
                            (a, b) -> a));
            assertThat(reasons.get("poison-1")).startsWith("malformed GenerationRequest on prompts");
            assertThat(reasons.get("poison-2")).contains("prompt is missing or blank");
            assertThat(new String(
                            dead.get(0)
                                    .headers()
                                    .lastHeader(Topics.DEAD_LETTER_TOPIC)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("prompts");
        }
    }

    @Test
    void requestsOfACancelledBatchGoOnToTheGeneratorsWhichAloneWriteResults() {
        Instant now = Instant.now();
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            writer.send(
                    Topics.BATCHES.name(),
                    "cancelled-batch/cancelled",
                    Topics.BATCHES.encode(dev.meadow.contracts.BatchCancelled.of("cancelled-batch", now)));
            for (int i = 0; i < 6; i++) {
                GenerationRequest r =
                        GenerationRequest.of("cancelled-batch-" + i, "cancelled-batch", i, "a cow " + i, i, null, now);
                writer.send(Topics.PROMPTS.name(), r.jobId(), Topics.PROMPTS.encode(r));
            }
        }
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> embeddings = inspector.readUntil(
                    Topics.EMBEDDINGS.name(),
                    r -> r.stream()
                                    .filter(x -> x.key().startsWith("cancelled-batch-"))
                                    .count()
                            >= 6,
                    Duration.ofSeconds(60));
            assertThat(embeddings)
                    .extracting(ConsumerRecord::key)
                    .filteredOn(key -> key.startsWith("cancelled-batch-"))
                    .hasSize(6);
            // The embedder holds no right to write results (KafkaAccess): it must not try.
            assertThat(inspector.readAll(Topics.GENERATIONS.name()))
                    .extracting(ConsumerRecord::key)
                    .noneMatch(key -> key.startsWith("cancelled-batch-"));
        }
    }

    @Test
    void aRequestTowardsASecondPromptGetsTheSphericalBlendOfBoth() {
        Instant now = Instant.now();
        String from = "two brown cows on green grass";
        String to = "a snowy field at night";
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            for (int i = 0; i < 3; i++) {
                GenerationRequest r = GenerationRequest.of("blend-" + i, "blend", i, from, 5, null, now)
                        .withTowards(new dev.meadow.contracts.Towards(to, i / 2.0));
                writer.send(Topics.PROMPTS.name(), r.jobId(), Topics.PROMPTS.encode(r));
            }
        }
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin());
                dev.meadow.model.clip.ClipModel clip =
                        dev.meadow.model.clip.ClipModel.load(TinyModels.get().clip())) {
            Map<String, EmbeddedPrompt> byJob = inspector
                    .readUntil(
                            Topics.EMBEDDINGS.name(),
                            r -> r.stream()
                                            .filter(x -> x.key().startsWith("blend-"))
                                            .count()
                                    >= 3,
                            Duration.ofSeconds(90))
                    .stream()
                    .filter(x -> x.key().startsWith("blend-"))
                    .map(x -> Topics.EMBEDDINGS.decode(x.value()))
                    .collect(Collectors.toMap(e -> e.request().jobId(), e -> e, (a, b) -> a));
            float[] a = clip.encodeText(from);
            float[] b = clip.encodeText(to);
            org.assertj.core.data.Offset<Float> close = org.assertj.core.data.Offset.offset(1e-5f);
            assertThat(byJob.get("blend-0").embedding()).containsExactly(a, close);
            assertThat(byJob.get("blend-1").embedding())
                    .containsExactly(dev.meadow.model.clip.Slerp.between(a, b, 0.5), close);
            assertThat(byJob.get("blend-2").embedding()).containsExactly(b, close);
            assertThat(byJob.get("blend-1").request().towards().weight()).isEqualTo(0.5);
        }
    }

    private static List<EmbeddedPrompt> ours(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .filter(r -> r.key().startsWith("emb-"))
                .map(r -> Topics.EMBEDDINGS.decode(r.value()))
                .toList();
    }

    @Test
    void aSnapshotIsEmbeddedOnceAndItsMatricesStored() throws Exception {
        Path snapshot = TinyModels.get().snapshot();
        store.uploadDirectory(snapshot, Bucket.DATASETS, store.layout().snapshotPrefix("snap-embed"));
        DatasetSnapshot record = DatasetSnapshot.of(
                "snap-embed",
                "tiny",
                "pastoral-synth",
                160,
                800,
                32,
                new TrainingRequest("tiny-32", ConditioningMode.IMAGE, 1, 16, 1e-3, 1, 0.1, false, null),
                Instant.now());
        DatasetSnapshot broken =
                DatasetSnapshot.of("snap-missing", "missing", "upload", 3, 3, 32, record.training(), Instant.now());
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            writer.send(Topics.DATASET_SNAPSHOTS.name(), broken.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(broken));
            writer.send(Topics.DATASET_SNAPSHOTS.name(), record.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(record));
        }
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> out = inspector.readUntil(
                    Topics.SNAPSHOT_EMBEDDINGS.name(),
                    r -> r.stream().anyMatch(x -> x.key().equals("snap-embed")),
                    Duration.ofSeconds(90));
            SnapshotEmbeddings embeddings = out.stream()
                    .filter(x -> x.key().equals("snap-embed"))
                    .map(x -> Topics.SNAPSHOT_EMBEDDINGS.decode(x.value()))
                    .findFirst()
                    .orElseThrow();
            assertThat(embeddings.clipModelId()).isEqualTo(TinyModels.CLIP_ID);
            EmbeddingMatrix images =
                    EmbeddingMatrix.fromBytes(store.get(Bucket.EMBEDDINGS, embeddings.imageEmbeddingsKey()));
            EmbeddingMatrix captions =
                    EmbeddingMatrix.fromBytes(store.get(Bucket.EMBEDDINGS, embeddings.captionEmbeddingsKey()));
            assertThat(images.rows()).isEqualTo(160);
            assertThat(images.dimension()).isEqualTo(16);
            long captionLines =
                    Files.readAllLines(snapshot.resolve("captions.jsonl")).size();
            assertThat(captions.rows()).isEqualTo(captionLines);
            assertThat(java.util.Arrays.stream(captions.owners()).allMatch(o -> o >= 0 && o < 160))
                    .isTrue();
            assertThat(out.stream().filter(x -> x.key().equals("snap-missing"))).isEmpty();

            List<ConsumerRecord<String, byte[]>> dead = inspector.readUntil(
                    Topics.DATASET_SNAPSHOTS.deadLetterTopic(), r -> !r.isEmpty(), Duration.ofSeconds(30));
            assertThat(new String(
                            dead.get(0)
                                    .headers()
                                    .lastHeader(Topics.DEAD_LETTER_REASON)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .contains("snapshot snap-missing cannot be embedded");
        }
    }

    @Test
    void healthNamesTheModelInUse() {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.find { it.name == 'CLIP model' }.data.model", equalTo(TinyModels.CLIP_ID))
                        .body("checks.name", hasItem("Object store connection")));
    }
}
