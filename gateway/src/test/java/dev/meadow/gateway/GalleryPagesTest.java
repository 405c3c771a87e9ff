package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.LossBreakdown;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicWriter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The server-rendered gallery, as a browser without JavaScript gets it. */
@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class GalleryPagesTest {

    @Test
    void promptsWithHtmlAreShownAsText() {
        GenerationRequest request = GenerationRequest.of(
                "pages-000000", "pages", 0, "<script>alert('x')</script> cows <b>bold</b>", 3, null, Instant.now());
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            Results.send(
                    writer,
                    GenerationResult.succeeded(
                            request,
                            "pages-000000.png",
                            8,
                            8,
                            "m1",
                            "clip-1",
                            new GenerationResult.Timings(1, 2, 3),
                            Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().queryParam("q", "alert")
                        .when()
                        .get("/")
                        .then()
                        .statusCode(200)
                        .body(containsString(
                                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; cows &lt;b&gt;bold&lt;/b&gt;"))
                        .body(not(containsString("<script>alert")))
                        .body(not(containsString("<b>bold"))));
        given().when()
                .get("/images/pages-000000")
                .then()
                .statusCode(200)
                .body(containsString("&lt;script&gt;alert"))
                .body(not(containsString("<script>alert")))
                .body(containsString("More like this"))
                .body(containsString("/api/images/pages-000000/png"))
                .body(not(containsString("condition noise")));
        // Its PNG was never stored: a 404 that says so, not a 500.
        given().when()
                .get("/api/images/pages-000000/png")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body(containsString("not in the object store"));
    }

    @Test
    void theGalleryPagesOlderAndNewerByCursorKeepingTheFiltersAndTheBatchPageOffersItsZip() {
        Instant t = Instant.parse("2026-11-25T09:00:00Z");
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            writer.send(
                    Topics.BATCHES.name(),
                    "pager/submitted",
                    Topics.BATCHES.encode(
                            dev.meadow.contracts.BatchSubmitted.of("pager", 30, "api", "a pager goat 0", t)));
            for (int i = 0; i < 30; i++) {
                GenerationRequest request = GenerationRequest.of(
                        String.format("pager-%06d", i), "pager", i, "a pager goat " + i, i, null, t);
                writer.send(
                        Topics.GENERATIONS.name(),
                        request.jobId(),
                        Topics.GENERATIONS.encode(GenerationResult.succeeded(
                                request,
                                request.jobId() + ".png",
                                8,
                                8,
                                "m1",
                                "clip-1",
                                new GenerationResult.Timings(1, 2, 3),
                                t.plusSeconds(i))));
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().queryParam("batch", "pager")
                        .when()
                        .get("/")
                        .then()
                        .statusCode(200)
                        .body(containsString("30 images")));
        String first = given().queryParam("batch", "pager")
                .queryParam("q", "goat")
                .when()
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("pager-000029"))
                .body(not(containsString("pager-000005")))
                .body(not(containsString("rel=\"prev\"")))
                .extract()
                .asString();
        java.util.regex.Matcher older = java.util.regex.Pattern.compile("href=\"([^\"]+)\" rel=\"next\"")
                .matcher(first);
        assertThat(older.find()).as("an Older link").isTrue();
        String olderUrl = older.group(1).replace("&amp;", "&");
        assertThat(olderUrl).contains("batch=pager").contains("q=goat").contains("after=");
        given().urlEncodingEnabled(false)
                .when()
                .get(olderUrl)
                .then()
                .statusCode(200)
                .body(containsString("pager-000005"))
                .body(not(containsString("pager-000029")))
                .body(containsString("rel=\"prev\""))
                .body(not(containsString("rel=\"next\"")));
        given().queryParam("batch", "pager")
                .queryParam("from", "2026-11-26")
                .when()
                .get("/")
                .then()
                .statusCode(200)
                .body(containsString("0 images"));
        given().queryParam("seed", "seven").when().get("/").then().statusCode(400);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/batches/pager")
                        .then()
                        .statusCode(200)
                        .body(containsString("/api/batches/pager/images.zip")));
    }

    @Test
    void aBatchSubmittedThroughTheFormOpensItsPage() {
        String location = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow in the snow\n--seed 5 --count 2 sheep at night")
                .formParam("seed", "11")
                .when()
                .post("/batches")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        assertThat(location).contains("/batches/");
        String batchId = location.substring(location.lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/batches/" + batchId)
                        .then()
                        .statusCode(200)
                        .body(containsString("Batch " + batchId))
                        .body(containsString("data-batch=\"" + batchId + "\""))
                        .body(containsString("of 3.")));
        given().when().get("/batches").then().statusCode(200).body(containsString(batchId));
    }

    @Test
    void anInvalidFormIsShownAgainWithTheReason() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow\n--count 99 sheep")
                .formParam("seed", "")
                .when()
                .post("/batches")
                .then()
                .statusCode(400)
                .body(containsString("line 2: count must be between 1 and 16"))
                .body(containsString("--count 99 sheep"));
    }

    @Test
    void theModelsPageDrawsTrainingCurves() {
        Instant now = Instant.now();
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            for (int epoch = 1; epoch <= 5; epoch++) {
                TrainingEvent e = TrainingEvent.epoch(
                        "run-chart",
                        "snap-chart",
                        epoch,
                        5,
                        new LossBreakdown(3000 - 100 * epoch, 2900, 150, 0.5),
                        new LossBreakdown(3050 - 90 * epoch, 2950, 150, 0.5),
                        now);
                writer.send(Topics.TRAINING_EVENTS.name(), e.runId(), Topics.TRAINING_EVENTS.encode(e));
            }
            ModelPublished model = new ModelPublished(
                    1,
                    ModelKind.CVAE,
                    "chart-model",
                    "cvae/chart-model/",
                    "small-64",
                    "clip-x",
                    ConditioningMode.IMAGE,
                    64,
                    256,
                    "snap-chart",
                    "run-chart",
                    2600.0,
                    5,
                    now,
                    0.25,
                    null);
            writer.send(Topics.MODELS.name(), model.key(), Topics.MODELS.encode(model));
            GenerationRequest drawn =
                    GenerationRequest.of("chart-img-000000", "chart-img", 0, "a cow", 3, null, Instant.now());
            Results.send(
                    writer,
                    GenerationResult.succeeded(
                            drawn,
                            "chart-img-000000.png",
                            64,
                            64,
                            "chart-model",
                            "clip-x",
                            new GenerationResult.Timings(1, 2, 3),
                            Instant.now()));
            // The same decoder's picture drawn through a prior: the prior replaced the noise, and the page says so.
            GenerationRequest throughPrior =
                    GenerationRequest.of("chart-prior-000000", "chart-prior", 0, "a cow", 4, null, Instant.now());
            Results.send(
                    writer,
                    GenerationResult.succeeded(
                                    throughPrior,
                                    "chart-prior-000000.png",
                                    64,
                                    64,
                                    "chart-model",
                                    "clip-x",
                                    new GenerationResult.Timings(1, 2, 3),
                                    Instant.now())
                            .withPriorModelId("prior-x"));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/images/chart-img-000000")
                        .then()
                        .statusCode(200)
                        .body(containsString("draws with condition noise 0.25: the seed also moves")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/images/chart-prior-000000")
                        .then()
                        .statusCode(200)
                        .body(containsString("its condition drawn through the prior prior-x with this seed"))
                        .body(not(containsString("draws with condition noise"))));
        given().when()
                .get("/api/images/chart-prior-000000")
                .then()
                .statusCode(200)
                .body("priorModelId", org.hamcrest.Matchers.equalTo("prior-x"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/models")
                        .then()
                        .statusCode(200)
                        .body(containsString("chart-model"))
                        .body(containsString("<svg class=\"chart\""))
                        .body(containsString("<polyline class=\"validation\" points=\""))
                        .body(containsString("best validation loss 2600.0 at epoch 5"))
                        .body(containsString("draws with condition noise 0.25,")));
        given().when()
                .get("/api/models/cvae/chart-model")
                .then()
                .statusCode(200)
                .body("conditionNoise", org.hamcrest.Matchers.equalTo(0.25f))
                .body("curve.size()", org.hamcrest.Matchers.equalTo(5))
                .body("curve[4].validation.total", org.hamcrest.Matchers.equalTo(2600.0f));
    }

    @Test
    void theDatasetsAndLoginPagesRender() {
        given().when()
                .get("/datasets")
                .then()
                .statusCode(200)
                .body(containsString("Upload and queue training"))
                .body(containsString("small-64"));
        given().when().get("/login").then().statusCode(200).body(containsString("name=\"key\""));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/batches"));
    }

    @Test
    void timesReadAtAGlanceAndNumbersAreRoundedToWhatTheyMean() {
        Instant submitted = Instant.parse("2026-11-29T18:25:11.164148404Z");
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            dev.meadow.contracts.BatchSubmitted batch =
                    dev.meadow.contracts.BatchSubmitted.of("times-batch", 3, "api", "a cow at 18:25", submitted);
            writer.send(Topics.BATCHES.name(), batch.key(), Topics.BATCHES.encode(batch));
            ModelPublished model = new ModelPublished(
                    1,
                    ModelKind.CVAE,
                    "rounded-model",
                    "cvae/rounded-model/",
                    "small-64",
                    "clip-x",
                    ConditioningMode.IMAGE,
                    64,
                    256,
                    "snap-r",
                    "run-r",
                    6762.868819444445,
                    7,
                    submitted,
                    null,
                    null);
            writer.send(Topics.MODELS.name(), model.key(), Topics.MODELS.encode(model));
        }
        String exact = "2026-11-29T18:25:11.164Z";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/batches")
                        .then()
                        .statusCode(200)
                        .body(containsString("times-batch"))
                        .body(containsString("<time datetime=\"" + exact + "\" title=\"" + exact
                                + "\">29 Nov 2026, 18:25 UTC</time>"))
                        .body(not(containsString("18:25:11.164148404Z"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/models")
                        .then()
                        .statusCode(200)
                        .body(containsString("rounded-model"))
                        .body(containsString("best validation loss 6762.9 at epoch 7"))
                        .body(not(containsString("6762.868819444445")))
                        .body(not(containsString("164148404"))));
    }
}
