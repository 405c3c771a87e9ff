package dev.meadow.generator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.EmbeddedPrompt;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.prior.Prior;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class GeneratorTest {

    static ObjectStore store;
    static ClipModel clip;

    @BeforeAll
    static void publishTinyModels() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
        try (ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin())) {
            seeding.publish(TinyModels.get().clip(), true);
            seeding.publish(TinyModels.get().decoder(), true);
        }
        clip = ClipModel.load(TinyModels.get().clip());
    }

    @Inject
    GeneratorConfig config;

    /** The decoder as this generator runs it: its threads and precision (bf16 where the CPU has it). */
    private Decoder asTheGeneratorLoadsIt(Path directory) {
        return Decoder.load(directory, config.threads(), config.precision());
    }

    private static java.util.Map<String, Object> kafkaAdmin() {
        return DevStackTestResource.stack().kafkaAdmin();
    }

    private static EmbeddedPrompt embedded(String jobId, String prompt, long seed, String version) {
        GenerationRequest request = GenerationRequest.of(
                jobId, jobId.substring(0, jobId.indexOf('-')), 0, prompt, seed, version, Instant.now());
        return EmbeddedPrompt.of(request, clip.encodeText(prompt), TinyModels.CLIP_ID, 1, Instant.now());
    }

    private static void send(List<EmbeddedPrompt> prompts) {
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            for (EmbeddedPrompt p : prompts) {
                writer.send(Topics.EMBEDDINGS.name(), p.request().jobId(), Topics.EMBEDDINGS.encode(p));
            }
        }
    }

    private static List<GenerationResult> results(Predicate<GenerationResult> ours, int expected) {
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> records = inspector.readUntil(
                    Topics.GENERATIONS.name(),
                    r -> decode(r).stream().filter(ours).count() >= expected,
                    Duration.ofSeconds(90));
            return decode(records).stream().filter(ours).toList();
        }
    }

    private static List<GenerationResult> decode(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> Topics.GENERATIONS.decode(r.value())).toList();
    }

    @Test
    void embeddedPromptsBecomeStoredPngsThatCarryTheirParameters() {
        List<EmbeddedPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            prompts.add(
                    embedded("gen1-" + i, i % 3 == 0 ? "a white sheep in the snow" : "brown cows " + i, 100 + i, null));
        }
        prompts.add(embedded("gen1-again", "a white sheep in the snow", 100, null));
        send(prompts);
        List<GenerationResult> results = results(r -> r.batchId().equals("gen1"), 31);
        assertThat(results).hasSize(31).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(GenerationResult.Status.SUCCEEDED);
            assertThat(r.modelVersion()).isEqualTo(TinyModels.DECODER_ID);
            assertThat(r.imageKey()).isEqualTo(r.jobId() + ".png");
            assertThat(r.width()).isEqualTo(32);
        });
        assertThat(results).extracting(GenerationResult::jobId).doesNotHaveDuplicates();
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            assertThat(inspector.readAll(Topics.GENERATIONS.name()))
                    .filteredOn(r -> r.key().startsWith("gen1-"))
                    .as("each result names the instance that made it")
                    .allSatisfy(r -> assertThat(r.headers().lastHeader(GenerationResult.GENERATOR_HEADER))
                            .isNotNull()
                            .extracting(h -> new String(h.value()))
                            .asString()
                            .isNotBlank());
        }

        byte[] png = store.get(Bucket.IMAGES, "gen1-0.png");
        BufferedImage image = Png.decode(png);
        assertThat(image.getWidth()).isEqualTo(32);
        Map<String, String> text = Png.readText(png);
        assertThat(text)
                .containsEntry("prompt", "a white sheep in the snow")
                .containsEntry("seed", "100")
                .containsEntry("model", TinyModels.DECODER_ID)
                .containsEntry("clip_model", TinyModels.CLIP_ID)
                .containsEntry("job_id", "gen1-0");
        assertThat(text.get("parameters")).contains("Seed: 100, Size: 32x32, Model: " + TinyModels.DECODER_ID);

        BufferedImage again = Png.decode(store.get(Bucket.IMAGES, "gen1-again.png"));
        assertThat(rgb(again)).as("same prompt and seed, different batch").isEqualTo(rgb(image));
    }

    @Test
    void bestOfNKeepsTheCandidateTheDecodersClipPrefersAndReportsItsSeed() {
        String prompt = "a white sheep in the snow";
        EmbeddedPrompt once = embedded("gen8-0", prompt, 40, null);
        GenerationRequest request = GenerationRequest.of("gen8-1", "gen8", 1, prompt, 40, null, Instant.now())
                .withCandidates(6);
        send(List.of(once, EmbeddedPrompt.of(request, clip.encodeText(prompt), TinyModels.CLIP_ID, 1, Instant.now())));
        Map<String, GenerationResult> results = results(r -> r.batchId().equals("gen8"), 2).stream()
                .collect(java.util.stream.Collectors.toMap(GenerationResult::jobId, r -> r, (a, b) -> b));

        ClipReranker.Choice expected;
        try (Decoder decoder = asTheGeneratorLoadsIt(TinyModels.get().decoder())) {
            expected = new ClipReranker(decoder, clip)
                    .decode(new float[][] {clip.encodeText(prompt)}, new long[] {40}, decoder.sampling(), 6)
                    .get(0);
        }
        GenerationResult best = results.get("gen8-1");
        assertThat(best.status()).isEqualTo(GenerationResult.Status.SUCCEEDED);
        assertThat(best.seed())
                .isEqualTo(expected.seed())
                .isIn(java.util.stream.IntStream.range(0, 6)
                        .mapToObj(c -> ClipReranker.candidateSeed(40, c))
                        .toList());
        byte[] png = store.get(Bucket.IMAGES, "gen8-1.png");
        assertThat(Png.readText(png)).containsEntry("seed", Long.toString(expected.seed()));
        assertThat(rgb(Png.decode(png))).isEqualTo(rgb(expected.image()));
        assertThat(results.get("gen8-0").seed()).isEqualTo(40);
    }

    @Test
    void aDecoderWhoseCardAsksForConditionNoiseDrawsWithItAndThePngSaysSo() throws Exception {
        Path noisy = TinyModels.get().decoderCopyWithConditionNoise("cvae-noisy", 1.0);
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(noisy, false);
        }
        String prompt = "a white sheep in the snow";
        // Published but not active: asked for by version, once this generator's catalog has seen it.
        java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String job = "gen9-" + attempt.incrementAndGet();
            send(List.of(embedded(job, prompt, 70, "cvae-noisy")));
            return results(r -> r.jobId().equals(job), 1).get(0).status() == GenerationResult.Status.SUCCEEDED;
        });
        send(List.of(embedded("gen9-plain", prompt, 70, null)));
        assertThat(results(r -> r.jobId().equals("gen9-plain"), 1).get(0).status())
                .isEqualTo(GenerationResult.Status.SUCCEEDED);

        byte[] png = store.get(Bucket.IMAGES, "gen9-" + attempt.get() + ".png");
        try (Decoder decoder = asTheGeneratorLoadsIt(noisy)) {
            BufferedImage expected = decoder.decodeImages(new float[][] {clip.encodeText(prompt)}, new long[] {70})
                    .get(0);
            assertThat(rgb(Png.decode(png))).isEqualTo(rgb(expected));
        }
        assertThat(rgb(Png.decode(png))).isNotEqualTo(rgb(Png.decode(store.get(Bucket.IMAGES, "gen9-plain.png"))));
        assertThat(Png.readText(png)).containsEntry("model", "cvae-noisy").containsEntry("condition_noise", "1.0000");
        assertThat(Png.readText(store.get(Bucket.IMAGES, "gen9-plain.png"))).doesNotContainKey("condition_noise");
    }

    @Test
    void aRedeliveredRequestRewritesTheSameObjectWithAnEquivalentResult() {
        EmbeddedPrompt prompt = embedded("gen2-0", "a black horse at night", 5, null);
        send(List.of(prompt));
        GenerationResult first = results(r -> r.jobId().equals("gen2-0"), 1).get(0);
        byte[] firstPng = store.get(Bucket.IMAGES, "gen2-0.png");
        send(List.of(prompt));
        List<GenerationResult> both = results(r -> r.jobId().equals("gen2-0"), 2);
        assertThat(both).hasSize(2);
        assertThat(both.get(1).imageKey()).isEqualTo(first.imageKey());
        assertThat(both.get(1).modelVersion()).isEqualTo(first.modelVersion());
        assertThat(store.list(Bucket.IMAGES, "gen2-")).hasSize(1);
        assertThat(rgb(Png.decode(store.get(Bucket.IMAGES, "gen2-0.png")))).isEqualTo(rgb(Png.decode(firstPng)));
    }

    @Test
    void poisonGoesToTheDeadLetterTopicAndUnknownVersionsFailWithAReason() {
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            writer.send(Topics.EMBEDDINGS.name(), "gen3-poison", "[]");
        }
        send(List.of(embedded("gen3-pinned", "cows", 1, "no-such-version"), embedded("gen3-ok", "cows", 1, null)));
        List<GenerationResult> results = results(r -> r.batchId().equals("gen3"), 2);
        assertThat(results)
                .filteredOn(r -> r.jobId().equals("gen3-pinned"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(GenerationResult.Status.FAILED);
                    assertThat(r.failureReason()).isEqualTo("model version no-such-version is not published");
                });
        assertThat(results)
                .filteredOn(r -> r.jobId().equals("gen3-ok"))
                .singleElement()
                .extracting(GenerationResult::status)
                .isEqualTo(GenerationResult.Status.SUCCEEDED);
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> dead = inspector.readUntil(
                    Topics.EMBEDDINGS.deadLetterTopic(),
                    r -> r.stream().anyMatch(x -> "gen3-poison".equals(x.key())),
                    Duration.ofSeconds(30));
            ConsumerRecord<String, byte[]> poison = dead.stream()
                    .filter(x -> "gen3-poison".equals(x.key()))
                    .findFirst()
                    .orElseThrow();
            assertThat(new String(
                            poison.headers()
                                    .lastHeader(Topics.DEAD_LETTER_REASON)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .startsWith("malformed EmbeddedPrompt on embeddings");
        }
    }

    @Test
    void brokenAndIncompatibleVersionsAreRefusedWhileTheActiveOneKeepsServing() throws Exception {
        Path broken = TinyModels.get().decoderCopy("cvae-broken");
        Files.write(broken.resolve("variables/variables.index"), new byte[] {0, 1, 2});
        Path incompatible = TinyModels.get().decoderCopyFor("cvae-other-clip", "some-other-clip");
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(broken, true);
            awaitEvent("cvae-broken");
            seeding.publish(incompatible, true);
            awaitEvent("cvae-other-clip");
        }
        List<ModelLoadEvent> events = modelEvents();
        assertThat(events)
                .filteredOn(e -> e.modelId().equals("cvae-broken"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(ModelLoadEvent.Outcome.REFUSED);
                    assertThat(e.reason()).contains("does not match its checksum");
                });
        assertThat(events)
                .filteredOn(e -> e.modelId().equals("cvae-other-clip"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(ModelLoadEvent.Outcome.REFUSED);
                    assertThat(e.reason())
                            .contains("was trained against CLIP some-other-clip but the active CLIP is "
                                    + TinyModels.CLIP_ID);
                });
        // A request pinned to the broken version fails with the reason; the rest of its batch goes on.
        send(List.of(embedded("gen4-broken", "sheep", 3, "cvae-broken"), embedded("gen4-0", "sheep", 3, null)));
        List<GenerationResult> results = results(r -> r.batchId().equals("gen4"), 2);
        assertThat(results)
                .filteredOn(r -> r.jobId().equals("gen4-broken"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(GenerationResult.Status.FAILED);
                    assertThat(r.failureReason())
                            .startsWith("decoder cvae-broken cannot be loaded: ")
                            .contains("does not match its checksum");
                });
        assertThat(results)
                .filteredOn(r -> r.jobId().equals("gen4-0"))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(GenerationResult.Status.SUCCEEDED);
                    assertThat(r.modelVersion()).isEqualTo(TinyModels.DECODER_ID);
                });
    }

    @Test
    void aNewVersionIsSwappedInWhileRequestsFlowAndNoneFails() throws Exception {
        Path v2 = TinyModels.get().decoderCopy("cvae-tiny-v2");
        List<EmbeddedPrompt> before = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            before.add(embedded("gen5-" + i, "cows and sheep " + i, i, null));
        }
        send(before.subList(0, 20));
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(v2, true);
        }
        send(before.subList(20, 40));
        awaitEvent("cvae-tiny-v2");
        send(List.of(embedded("gen5-after", "cows", 1, null)));
        List<GenerationResult> results = results(r -> r.batchId().equals("gen5"), 41);
        assertThat(results)
                .hasSize(41)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(GenerationResult.Status.SUCCEEDED));
        assertThat(results)
                .filteredOn(r -> r.jobId().equals("gen5-after"))
                .singleElement()
                .extracting(GenerationResult::modelVersion)
                .isEqualTo("cvae-tiny-v2");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'Decoder' }.data.model", equalTo("cvae-tiny-v2")));

        backToTheTinyDecoder();
    }

    @Test
    void aPairSwappedInMidBatchNeverDrawsOneDecoderThroughTheOthersPrior() throws Exception {
        Path priorA = TinyModels.get().prior("prior-pair-a", 1);
        Path priorB = TinyModels.get().prior("prior-pair-b", 2);
        Path pairA = TinyModels.get().decoderWithPrior("cvae-pair-a", priorA);
        Path pairB = TinyModels.get().decoderWithPrior("cvae-pair-b", priorB);
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(priorA, false);
            seeding.publish(priorB, false);
            seeding.publish(pairA, true);
        }
        awaitEvent("cvae-pair-a");
        List<EmbeddedPrompt> prompts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            prompts.add(embedded("gen10-" + i, "two brown cows on green grass " + (i % 3), i, null));
        }
        send(prompts.subList(0, 20));
        // The batch has started drawing with pair A when pair B is activated; the rest of it is still to come.
        results(r -> r.batchId().equals("gen10"), 1);
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(pairB, true);
        }
        send(prompts.subList(20, 50));
        awaitEvent("cvae-pair-b");
        send(prompts.subList(50, 60));
        EmbeddedPrompt skipping = EmbeddedPrompt.of(
                GenerationRequest.of("gen10-plain", "gen10", 60, "two brown cows", 7, null, Instant.now())
                        .withPrior(false),
                clip.encodeText("two brown cows"),
                TinyModels.CLIP_ID,
                1,
                Instant.now());
        send(List.of(skipping));

        List<GenerationResult> results = results(r -> r.batchId().equals("gen10"), 61);
        assertThat(results)
                .hasSize(61)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(GenerationResult.Status.SUCCEEDED));
        Map<String, String> pairs = Map.of("cvae-pair-a", "prior-pair-a", "cvae-pair-b", "prior-pair-b");
        for (GenerationResult r : results) {
            if (r.jobId().equals("gen10-plain")) {
                assertThat(r.priorModelId()).isNull();
            } else {
                assertThat(r.priorModelId()).as(r.jobId()).isEqualTo(pairs.get(r.modelVersion()));
            }
        }
        assertThat(results).extracting(GenerationResult::modelVersion).contains("cvae-pair-a", "cvae-pair-b");
        // Each picture is the one its decoder draws through its own prior: the label is not all that matches.
        Map<String, Path> decoders = Map.of("cvae-pair-a", pairA, "cvae-pair-b", pairB);
        Map<String, Path> priors = Map.of("cvae-pair-a", priorA, "cvae-pair-b", priorB);
        for (String version : decoders.keySet()) {
            try (Decoder base = asTheGeneratorLoadsIt(decoders.get(version));
                    Prior prior = Prior.load(priors.get(version), config.threads());
                    Decoder drawing = base.withPrior(prior)) {
                for (GenerationResult r : results) {
                    if (!r.modelVersion().equals(version)) {
                        continue;
                    }
                    int i = r.jobId().equals("gen10-plain")
                            ? -1
                            : Integer.parseInt(r.jobId().substring(6));
                    String prompt =
                            i < 0 ? "two brown cows" : prompts.get(i).request().prompt();
                    BufferedImage expected = drawing.decodeImages(
                                    new float[][] {clip.encodeText(prompt)},
                                    new long[] {r.seed()},
                                    drawing.sampling().withPrior(i >= 0))
                            .get(0);
                    assertThat(rgb(Png.decode(store.get(Bucket.IMAGES, r.imageKey()))))
                            .as(r.jobId())
                            .isEqualTo(rgb(expected));
                }
            }
        }
        assertThat(Png.readText(store.get(Bucket.IMAGES, "gen10-0.png"))).containsKey("prior_model");
        // The two priors draw differently, so a picture drawn through the wrong one could not pass the check above.
        try (Decoder base = asTheGeneratorLoadsIt(pairA);
                Prior a = Prior.load(priorA, config.threads());
                Prior b = Prior.load(priorB, config.threads());
                Decoder throughA = base.withPrior(a);
                Decoder throughB = base.withPrior(b)) {
            float[][] text = {clip.encodeText("two brown cows on green grass 0")};
            assertThat(rgb(throughA.decodeImages(text, new long[] {0}).get(0)))
                    .isNotEqualTo(
                            rgb(throughB.decodeImages(text, new long[] {0}).get(0)));
        }
        assertThat(Png.readText(store.get(Bucket.IMAGES, "gen10-plain.png"))).doesNotContainKey("prior_model");
        backToTheTinyDecoder();
    }

    @Test
    void aRequestPinnedToADecoderWhosePriorIsNotPublishedFailsWithTheReason() throws Exception {
        Path orphan = TinyModels.get()
                .decoderWithPrior("cvae-orphan", TinyModels.get().prior("prior-orphan", 5));
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.publish(orphan, false);
        }
        java.util.concurrent.atomic.AtomicInteger attempt = new java.util.concurrent.atomic.AtomicInteger();
        // Until this generator's catalog has seen the decoder, the request fails as unpublished; then for its prior.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String job = "gen11-" + attempt.incrementAndGet();
            send(List.of(embedded(job, "two brown cows", 3, "cvae-orphan")));
            GenerationResult result = results(r -> r.jobId().equals(job), 1).get(0);
            assertThat(result.status()).isEqualTo(GenerationResult.Status.FAILED);
            return result.failureReason().contains("prior prior-orphan, which is not published");
        });
        // The partition moves on: a later request is drawn.
        send(List.of(embedded("gen11-after", "two brown cows", 3, null)));
        assertThat(results(r -> r.jobId().equals("gen11-after"), 1).get(0).status())
                .isEqualTo(GenerationResult.Status.SUCCEEDED);
    }

    @Test
    void requestsOfACancelledBatchAreReportedCancelledNotDecoded() {
        try (TopicWriter writer = new TopicWriter(kafkaAdmin())) {
            BatchCancelled cancel = BatchCancelled.of("gen6", Instant.now());
            writer.send(Topics.BATCHES.name(), cancel.key(), Topics.BATCHES.encode(cancel));
        }
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        send(List.of(embedded("gen6-0", "cows", 1, null), embedded("gen7-0", "cows", 1, null)));
        assertThat(results(r -> r.jobId().equals("gen6-0"), 1).get(0)).satisfies(r -> {
            assertThat(r.status()).isEqualTo(GenerationResult.Status.CANCELLED);
            assertThat(r.failureReason()).isEqualTo("batch gen6 was cancelled");
        });
        assertThat(store.exists(Bucket.IMAGES, "gen6-0.png")).isFalse();
        assertThat(results(r -> r.jobId().equals("gen7-0"), 1).get(0).status())
                .isEqualTo(GenerationResult.Status.SUCCEEDED);
    }

    /** Back to the decoder the other tests expect, whatever order they run in. */
    private static void backToTheTinyDecoder() throws Exception {
        try (ModelSeeding seeding = new ModelSeeding(store, kafkaAdmin())) {
            seeding.activate(ModelKind.CVAE, TinyModels.DECODER_ID);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'Decoder' }.data.model", equalTo(TinyModels.DECODER_ID)));
    }

    private static void awaitEvent(String modelId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> modelEvents().stream().anyMatch(e -> e.modelId().equals(modelId)));
    }

    private static List<ModelLoadEvent> modelEvents() {
        try (TopicInspector inspector = new TopicInspector(kafkaAdmin())) {
            return inspector.readAll(Topics.MODEL_EVENTS.name()).stream()
                    .map(r -> Topics.MODEL_EVENTS.decode(r.value()))
                    .filter(e -> e.kind() == ModelKind.CVAE)
                    .toList();
        }
    }

    private static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
