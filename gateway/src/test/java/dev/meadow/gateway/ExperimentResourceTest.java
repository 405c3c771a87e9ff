package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.EvalReport;
import dev.meadow.contracts.Json;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.image.Png;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ExperimentResourceTest {

    static final String ID = "table-small-64-image-noise-test";
    static final String MISREAD = "misread-ground-grass-as-soil-0.png";

    @BeforeAll
    static void publishReport() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"))) {
            store.ensureBuckets();
            EvalReport report = new EvalReport(
                    ID,
                    "small-64-image-noise-v1",
                    "small-64",
                    "image+noise",
                    64,
                    "meadow-clip-v1",
                    "meadow-judge-clip-v1",
                    7,
                    6812.5,
                    500,
                    0,
                    0.7,
                    16,
                    null,
                    99,
                    0.234,
                    0.61,
                    0.41,
                    1.02,
                    0.55,
                    0.03,
                    500,
                    new EvalReport.PictureScores(0.12, 0.30, 0.36, 0.07),
                    new EvalReport.Diversity(64, 4, 0.05, 0.25),
                    Map.of(
                            "sky",
                            new EvalReport.AttributeScore(0.871, 500),
                            "ground",
                            new EvalReport.AttributeScore(
                                    0.902,
                                    500,
                                    Map.of("grass", Map.of("soil", 49)),
                                    List.of(new EvalReport.Sample(
                                            MISREAD,
                                            "a green meadow",
                                            3,
                                            1,
                                            Map.of("ground", "grass"),
                                            Map.of("ground", "soil"))))),
                    Map.of(
                            "sky",
                            new EvalReport.DetectorScore(1.0, 1.0, true),
                            "animals",
                            new EvalReport.DetectorScore(0.916, 0.85, false)),
                    List.of(new EvalReport.Sample(
                            "sample-000.png",
                            "sheep on <b>snow</b> under a grey sky",
                            0,
                            0,
                            Map.of("sky", "grey"),
                            Map.of("sky", "grey"))),
                    12.5,
                    Instant.parse("2026-11-27T02:00:00Z"),
                    null,
                    null,
                    null,
                    null);
            store.put(
                    Bucket.EXPERIMENTS,
                    ID + "/report.json",
                    Json.mapper().writeValueAsBytes(report),
                    "application/json");
            store.put(
                    Bucket.EXPERIMENTS,
                    ID + "/sample-000.png",
                    Png.encode(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)),
                    "image/png");
            store.put(
                    Bucket.EXPERIMENTS,
                    ID + "/" + MISREAD,
                    Png.encode(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB)),
                    "image/png");
            store.put(Bucket.EXPERIMENTS, ID + "/secret.txt", "not a sample".getBytes(), "text/plain");
            store.put(Bucket.EXPERIMENTS, "broken/report.json", "{not json".getBytes(), "application/json");
        }
    }

    @Test
    void reportsAreListedAndServed() {
        given().when()
                .get("/api/experiments")
                .then()
                .statusCode(200)
                .body("id", hasItem(ID))
                .body("id", not(hasItem("broken")));
        given().when()
                .get("/api/experiments/" + ID)
                .then()
                .statusCode(200)
                .body("rPrecision", equalTo(0.234f))
                .body("attributes.sky.accuracy", equalTo(0.871f))
                .body("detectors.animals.used", equalTo(false))
                .body("temperature", equalTo(0.7f))
                .body("candidates", equalTo(16))
                .body("diversity.withinPrompts", equalTo(0.05f))
                .body("diversity.draws", equalTo(4));
        given().when()
                .get("/api/experiments/" + ID + "/samples/sample-000.png")
                .then()
                .statusCode(200)
                .contentType("image/png");
        given().when()
                .get("/api/experiments/" + ID + "/samples/" + MISREAD)
                .then()
                .statusCode(200)
                .contentType("image/png");
    }

    @Test
    void pagesShowTheNumbersAndEscapePrompts() {
        given().when()
                .get("/experiments")
                .then()
                .statusCode(200)
                .body(containsString("href=\"/experiments/" + ID + "\""))
                .body(containsString("0.234"))
                .body(containsString("0.871"))
                .body(containsString("image+noise"))
                .body(containsString("T 0.70, best of 16"));
        given().when()
                .get("/experiments/" + ID)
                .then()
                .statusCode(200)
                .body(containsString("/api/experiments/" + ID + "/samples/sample-000.png"))
                .body(containsString("0.610"))
                .body(containsString("no (below 0.95)"))
                .body(containsString("Seed spread (64 prompts drawn 4 times"))
                .body(containsString("latent temperature 0.70, best of 16 candidates by CLIP meadow-clip-v1"))
                .body(containsString("sheep on &lt;b&gt;snow&lt;/b&gt;"))
                .body(containsString("ground accuracy (500 images; most often misread: grass as soil 49)"))
                .body(containsString("Misread by the detectors"))
                .body(containsString("/api/experiments/" + ID + "/samples/" + MISREAD))
                .body(containsString("ground: soil (want grass)"))
                .body(not(containsString("<b>snow")));
    }

    @Test
    void unknownReportsAndFilesAre404Problems() {
        given().when()
                .get("/api/experiments/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no experiment 'nope'"));
        given().when()
                .get("/api/experiments/" + ID + "/samples/secret.txt")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/api/experiments/..%2Fx").then().statusCode(404);
        given().when().get("/experiments/nope").then().statusCode(404);
    }
}
