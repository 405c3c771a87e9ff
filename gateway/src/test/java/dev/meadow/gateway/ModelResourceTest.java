package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Path;
import java.time.Duration;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelResourceTest {

    @BeforeAll
    static void publishModels() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
        Path otherClipDecoder = TinyModels.get().decoderCopyFor("cvae-for-other-clip", "another-clip");
        Path missingClipDecoder = TinyModels.get().decoderCopyFor("cvae-for-missing-clip", "missing-clip");
        try (ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin())) {
            seeding.publish(TinyModels.get().clip(), true);
            seeding.publish(TinyModels.get().decoder(), false);
            seeding.publish(TinyModels.get().clipCopy("another-clip"), false);
            seeding.publish(otherClipDecoder, false);
            seeding.publish(missingClipDecoder, false);
            seeding.publish(PRIOR, false);
            seeding.publish(TinyModels.get().decoderWithPrior(PAIRED, PRIOR), false);
        }
    }

    static final String PAIRED = "cvae-paired-resource";
    static final java.nio.file.Path PRIOR = TinyModels.get().prior("prior-resource", 4);

    @Test
    void aDecoderWhosePriorDrawsAnotherClipsEmbeddingsServesNoRequest() {
        java.time.Instant now = java.time.Instant.now();
        ModelPublished prior = new ModelPublished(
                1,
                ModelKind.PRIOR,
                "prior-other-clip",
                "prior/prior-other-clip/",
                null,
                "another-clip",
                null,
                0,
                16,
                null,
                null,
                null,
                null,
                now,
                null,
                null);
        ModelPublished decoder = new ModelPublished(
                1,
                ModelKind.CVAE,
                "cvae-wrong-prior",
                "cvae/cvae-wrong-prior/",
                "tiny-32",
                TinyModels.CLIP_ID,
                dev.meadow.contracts.ConditioningMode.IMAGE,
                32,
                16,
                null,
                null,
                null,
                null,
                now,
                0.0,
                "prior-other-clip");
        try (dev.meadow.devstack.TopicWriter writer =
                new dev.meadow.devstack.TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            for (ModelPublished m : java.util.List.of(prior, decoder)) {
                writer.send(
                        dev.meadow.contracts.Topics.MODELS.name(),
                        m.key(),
                        dev.meadow.contracts.Topics.MODELS.encode(m));
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae/cvae-wrong-prior")
                        .then()
                        .statusCode(200)
                        .body("priorModelId", equalTo("prior-other-clip")));
        given().contentType("application/json")
                .body("{\"prompt\": \"a cow\", \"modelVersion\": \"cvae-wrong-prior\", \"prior\": false}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors[0].message",
                        org.hamcrest.Matchers.allOf(
                                containsString(
                                        "names prior prior-other-clip, which draws embeddings of CLIP another-clip"),
                                org.hamcrest.Matchers.not(containsString("serve: cvae-wrong-prior"))));
        given().when()
                .post("/api/models/cvae/cvae-wrong-prior/activate")
                .then()
                .statusCode(409)
                .body("detail", containsString("cannot draw through prior prior-other-clip"));
    }

    @Test
    void aDecoderThatDrawsThroughAPriorIsActivatedTogetherWithItAndThePriorNeverAlone() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem(PAIRED)));
        given().when()
                .post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae/" + TinyModels.DECODER_ID)
                        .then()
                        .body("active", equalTo(true)));
        // The prior alone: refused, naming the decoder that brings it.
        given().when()
                .post("/api/models/prior/prior-resource/activate")
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        equalTo("a prior is activated with the decoder that draws through it; activate " + PAIRED
                                + ", which activates prior prior-resource with it"));
        given().when()
                .get("/api/models/prior/prior-resource")
                .then()
                .statusCode(200)
                .body("active", equalTo(false))
                .body("clipModelId", equalTo(TinyModels.CLIP_ID));
        try {
            given().when()
                    .post("/api/models/cvae/" + PAIRED + "/activate")
                    .then()
                    .statusCode(200)
                    .body("active", equalTo(true))
                    .body("priorModelId", equalTo("prior-resource"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().when()
                            .get("/api/models/prior/prior-resource")
                            .then()
                            .body("active", equalTo(true)));
            try (dev.meadow.devstack.TopicInspector inspector = new dev.meadow.devstack.TopicInspector(
                    DevStackTestResource.stack().kafkaAdmin())) {
                var records = inspector.readUntil(
                        dev.meadow.contracts.Topics.MODELS.name(),
                        r -> r.stream()
                                .anyMatch(x -> x.key().equals("cvae/active") && new String(x.value()).contains(PAIRED)),
                        Duration.ofSeconds(20));
                var active = records.stream()
                        .filter(x -> x.key().endsWith("/active"))
                        .toList();
                var prior = active.get(active.size() - 2);
                var decoder = active.get(active.size() - 1);
                org.assertj.core.api.Assertions.assertThat(prior.key()).isEqualTo("prior/active");
                org.assertj.core.api.Assertions.assertThat(new String(prior.value()))
                        .contains("prior-resource");
                org.assertj.core.api.Assertions.assertThat(decoder.offset())
                        .as("written together")
                        .isEqualTo(prior.offset() + 1);
            }
            org.assertj.core.api.Assertions.assertThat(given().when()
                            .get("/models")
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .contains("draws each picture's condition through prior prior-resource")
                    .contains("<h1>Priors</h1>");
        } finally {
            given().when()
                    .post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().when()
                            .get("/api/models/prior/prior-resource")
                            .then()
                            .body("active", equalTo(false)));
        }
    }

    @Test
    void versionsAreListedAndOneIsActivated() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem(TinyModels.DECODER_ID)));
        given().when()
                .get("/api/models/clip")
                .then()
                .statusCode(200)
                .body("find { it.modelId == '" + TinyModels.CLIP_ID + "' }.active", equalTo(true));

        given().when()
                .post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                .then()
                .statusCode(200)
                .body("active", equalTo(true))
                .body("preset", equalTo("tiny-32"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae/" + TinyModels.DECODER_ID)
                        .then()
                        .statusCode(200)
                        .body("active", equalTo(true)));
    }

    @Test
    void aDecoderTrainedAgainstAnotherClipIsActivatedTogetherWithIt() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem("cvae-for-other-clip")));
        given().when()
                .post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae/" + TinyModels.DECODER_ID)
                        .then()
                        .body("active", equalTo(true)));
        // A CLIP alone cannot move while the active decoder needs another: the refusal names the way that works.
        // (Other test classes publish decoders for another-clip too; the list names them all.)
        given().when()
                .post("/api/models/clip/another-clip/activate")
                .then()
                .statusCode(409)
                .body(
                        "detail",
                        org.hamcrest.Matchers.allOf(
                                org.hamcrest.Matchers.startsWith("the active decoder " + TinyModels.DECODER_ID
                                        + " needs CLIP " + TinyModels.CLIP_ID
                                        + "; activate a decoder trained against another-clip ("),
                                containsString("cvae-for-other-clip"),
                                org.hamcrest.Matchers.endsWith("), which activates another-clip with it")));
        String page =
                given().when().get("/models").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(page)
                .doesNotContain("action=\"/models/clip/another-clip/activate\"")
                .contains("action=\"/models/cvae/cvae-for-other-clip/activate\"");
        try {
            given().when()
                    .post("/api/models/cvae/cvae-for-other-clip/activate")
                    .then()
                    .statusCode(200)
                    .body("active", equalTo(true))
                    .body("clipModelId", equalTo("another-clip"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                given().when().get("/api/models/clip/another-clip").then().body("active", equalTo(true));
                given().when()
                        .get("/api/models/cvae/cvae-for-other-clip")
                        .then()
                        .body("active", equalTo(true));
            });
            try (dev.meadow.devstack.TopicInspector inspector = new dev.meadow.devstack.TopicInspector(
                    DevStackTestResource.stack().kafkaAdmin())) {
                var records = inspector.readUntil(
                        dev.meadow.contracts.Topics.MODELS.name(),
                        r -> r.stream()
                                .anyMatch(x -> x.key().equals("cvae/active")
                                        && new String(x.value()).contains("cvae-for-other-clip")),
                        Duration.ofSeconds(20));
                var last = records.stream()
                        .filter(x -> x.key().endsWith("/active"))
                        .toList();
                var clip = last.get(last.size() - 2);
                var decoder = last.get(last.size() - 1);
                org.assertj.core.api.Assertions.assertThat(clip.key()).isEqualTo("clip/active");
                org.assertj.core.api.Assertions.assertThat(new String(clip.value()))
                        .contains("another-clip");
                org.assertj.core.api.Assertions.assertThat(decoder.offset())
                        .as("written together")
                        .isEqualTo(clip.offset() + 1);
            }
        } finally {
            // Other test classes share the stack: back to the tiny pair, which is itself a pair activation.
            given().when()
                    .post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                    .then()
                    .statusCode(200);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().when()
                            .get("/api/models/clip/" + TinyModels.CLIP_ID)
                            .then()
                            .body("active", equalTo(true)));
        }
    }

    @Test
    void incompatibleUnknownAndMisspelledModelsAreRefused() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem("cvae-for-other-clip")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem("cvae-for-missing-clip")));
        given().when()
                .post("/api/models/cvae/cvae-for-missing-clip/activate")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body(
                        "detail",
                        equalTo("decoder cvae-for-missing-clip was trained against CLIP missing-clip, "
                                + "which is not published"));
        given().when()
                .post("/api/models/cvae/nope/activate")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no cvae model nope is published"));
        given().when()
                .get("/api/models/unicorn")
                .then()
                .statusCode(404)
                .body("detail", containsString("unknown model kind 'unicorn'"));
    }
}
