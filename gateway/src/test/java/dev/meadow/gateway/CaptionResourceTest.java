package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.dataset.Snapshot;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.image.Png;
import dev.meadow.model.clip.ReverseCaptioner;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The reverse pipeline: a judge CLIP (published, not active) names the captions closest to an image. */
@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class CaptionResourceTest {

    static final String JOB = "capt-000000";

    @BeforeAll
    static void publishJudgeAndImage() throws Exception {
        TinyModels models = TinyModels.get();
        Path judge = models.clipCopy("clip-judge-test");
        Snapshot snapshot = Snapshot.read(models.snapshot());
        List<String> pool = new ArrayList<>();
        snapshot.captionsByImage().values().forEach(pool::addAll);
        ReverseCaptioner.writePool(judge, pool, 1000);

        publishJudgeAndARender(judge, JOB, "a render to caption", Instant.parse("2026-11-21T10:00:00Z"));
    }

    /** Publishes a judge CLIP (not active) and a generated image of job {@code job}: a Pastoral-Synth render. */
    static void publishJudgeAndARender(Path judge, String job, String prompt, Instant at) throws Exception {
        DevStack stack = DevStackTestResource.stack();
        Snapshot snapshot = Snapshot.read(TinyModels.get().snapshot());
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                        stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
                ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin());
                TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            store.ensureBuckets();
            seeding.publish(judge, false);
            GenerationRequest request =
                    GenerationRequest.of(job, job.substring(0, job.indexOf('-')), 0, prompt, 1, null, at);
            byte[] png =
                    Files.readAllBytes(snapshot.imagePath(snapshot.imageFiles().get(0)));
            store.put(Bucket.IMAGES, job + ".png", Png.encode(Png.decode(png), Map.of()), "image/png");
            Results.send(
                    writer,
                    GenerationResult.succeeded(
                            request,
                            job + ".png",
                            32,
                            32,
                            "model-1",
                            TinyModels.CLIP_ID,
                            new GenerationResult.Timings(1, 2, 3),
                            at));
        }
    }

    @Test
    void theJudgeNamesTheClosestCaptionsMostSimilarFirst() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/images/" + JOB + "/captions")
                        .then()
                        .statusCode(200)
                        .body("$", hasSize(5)));
        List<Float> similarities = given().when()
                .get("/api/images/" + JOB + "/captions")
                .then()
                .extract()
                .path("similarity");
        assertThat(similarities).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        String top = given().when()
                .get("/api/images/" + JOB + "/captions")
                .then()
                .extract()
                .path("[0].caption");
        given().when()
                .get("/images/" + JOB)
                .then()
                .statusCode(200)
                .body(containsString("What the judge sees"))
                .body(containsString(top))
                .body(containsString("clip-judge-test"));
    }

    @Test
    void anUnknownImageIs404() {
        given().when()
                .get("/api/images/capt-999999/captions")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
