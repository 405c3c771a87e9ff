package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class BatchResourceTest {

    @TestHTTPResource
    URI base;

    static List<GenerationRequest> requests(String batchId) {
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            return inspector.readAll(Topics.PROMPTS.name()).stream()
                    .filter(r -> r.key().startsWith(batchId + "-"))
                    .map(r -> Topics.PROMPTS.decode(r.value()))
                    .sorted(java.util.Comparator.comparingInt(GenerationRequest::index))
                    .toList();
        }
    }

    static long promptsOnTopic() {
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            return inspector.readAll(Topics.PROMPTS.name()).size();
        }
    }

    /** A pinned version must be published, and trained against the active CLIP. */
    @BeforeAll
    static void publishModels() throws Exception {
        SubmissionChecksTest.publishModels();
    }

    @Test
    void aPromptsFileWithOverridesBecomesOneBatch() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItem(TinyModels.DECODER_ID)));
        String body = """
                # pastoral prompts
                two brown cows on green grass

                --seed 42 --count 3 a white sheep in the snow
                --prompt "three black horses, at night" --seed 7
                --model cvae-tiny-test a golden field
                """;
        String batchId = given().contentType(ContentType.TEXT)
                .body(body)
                .queryParam("seed", 99)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .body("total", equalTo(6))
                .body("seed", equalTo(99))
                .body("statusUrl", startsWith("/api/batches/"))
                .extract()
                .path("batchId");
        List<GenerationRequest> requests = requests(batchId);
        assertThat(requests)
                .extracting(GenerationRequest::prompt)
                .containsExactly(
                        "two brown cows on green grass",
                        "a white sheep in the snow",
                        "a white sheep in the snow",
                        "a white sheep in the snow",
                        "three black horses, at night",
                        "a golden field");
        assertThat(requests.subList(1, 5)).extracting(GenerationRequest::seed).containsExactly(42L, 43L, 44L, 7L);
        assertThat(requests.get(5).modelVersion()).isEqualTo(TinyModels.DECODER_ID);

        // Seeds derived from the batch seed are reproducible: the same file and seed give the same seeds.
        String again = given().contentType(ContentType.TEXT)
                .body(body)
                .queryParam("seed", 99)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .extract()
                .path("batchId");
        assertThat(requests(again))
                .extracting(GenerationRequest::seed)
                .isEqualTo(requests.stream().map(GenerationRequest::seed).toList());
    }

    @Test
    void jsonArraysAndJsonLinesAreAccepted() {
        given().contentType(ContentType.JSON)
                .body("[\"a cow\", {\"prompt\": \"a sheep\", \"seed\": 5, \"count\": 2}]")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .body("total", equalTo(3))
                .body("jobs.seed", hasItem(6));
        given().contentType("application/x-ndjson")
                .body("{\"prompt\": \"a horse\", \"seed\": 1}\n\n\"an alpaca\"\n".getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .body("total", equalTo(2));
    }

    @Test
    void anInvalidLineIsReportedByNumberAndNothingIsPublished() {
        long before = promptsOnTopic();
        String body = "a cow\n--seed 3 a sheep\n\n--count 0 a horse\na barn\n";
        given().contentType(ContentType.TEXT)
                .body(body)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("line 4 is invalid; nothing of the batch was queued"))
                .body("errors[0].field", equalTo("line 4"))
                .body("errors[0].message", equalTo("line 4: count must be between 1 and 16"));
        given().contentType(ContentType.TEXT)
                .body("a cow\n--steps 20 a sheep\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("detail", startsWith("line 2: unknown option --steps"));
        given().contentType(ContentType.JSON)
                .body("[\"a cow\", 42]")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("detail", startsWith("item 2: expected a prompt"));
        given().contentType("application/x-ndjson")
                .body("{\"prompt\": \"ok\"}\n{\"prompt\": \n".getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("detail", startsWith("line 2: not valid JSON"));
        given().contentType(ContentType.TEXT)
                .body("\n\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("detail", equalTo("the batch holds no prompts"));
        assertThat(promptsOnTopic())
                .as("aborted submissions are invisible to readers")
                .isEqualTo(before);
    }

    @Test
    void aBatchOverTheLimitIsRefusedWith413() {
        long before = promptsOnTopic();
        String body = IntStream.range(0, 20_001).mapToObj(i -> "cow " + i).collect(Collectors.joining("\n"));
        given().contentType(ContentType.TEXT)
                .body(body)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", startsWith("the batch asks for more than 20000 images (line 20001 goes over)"));
        assertThat(promptsOnTopic()).isEqualTo(before);
    }

    @Test
    void tenThousandPromptsAreAcceptedInOneRequest() {
        String body = IntStream.range(0, 10_000)
                .mapToObj(i -> "--seed " + i + " sheep and cows number " + i)
                .collect(Collectors.joining("\n"));
        long start = System.nanoTime();
        String batchId = given().contentType(ContentType.TEXT)
                .body(body)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .body("total", equalTo(10_000))
                .extract()
                .path("batchId");
        System.out.printf("10,000-prompt batch accepted in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(requests(batchId)).hasSize(10_000);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/batches/" + batchId)
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(10_000))
                        .body("queued", equalTo(10_000)));
    }

    @Test
    void progressCountsResultsStreamsThemAndABatchCanBeCancelled() throws Exception {
        String batchId = given().contentType(ContentType.TEXT)
                .body("a\nb\nc\nd\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .extract()
                .path("batchId");
        List<GenerationRequest> requests = requests(batchId);
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            writer.send(Topics.EMBEDDINGS.name(), requests.get(0).jobId(), new byte[] {1});
            writer.send(
                    Topics.GENERATIONS.name(),
                    requests.get(0).jobId(),
                    Topics.GENERATIONS.encode(GenerationResult.succeeded(
                            requests.get(0),
                            requests.get(0).jobId() + ".png",
                            64,
                            64,
                            "m1",
                            "clip-1",
                            new GenerationResult.Timings(1, 2, 3),
                            Instant.now())));
            writer.send(
                    Topics.GENERATIONS.name(),
                    requests.get(1).jobId(),
                    Topics.GENERATIONS.encode(GenerationResult.failed(
                            requests.get(1), GenerationResult.Status.FAILED, "broken", Instant.now())));
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/batches/" + batchId)
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(4))
                        .body("generated", equalTo(1))
                        .body("failed", equalTo(1))
                        .body("embedded", equalTo(1))
                        .body("queued", equalTo(2))
                        .body("percent", equalTo(50.0f))
                        .body("finished", equalTo(false)));

        given().when()
                .delete("/api/batches/" + batchId)
                .then()
                .statusCode(200)
                .body("batchId", equalTo(batchId))
                .body("cancelRequested", equalTo(true))
                .body("queued", equalTo(2));
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            List<BatchEvent> events = inspector
                    .await(
                            Topics.BATCHES.name(),
                            r -> r.stream().anyMatch(x -> x.key().equals(batchId + "/cancelled")),
                            Duration.ofSeconds(10))
                    .stream()
                    .filter(x -> x.key().startsWith(batchId))
                    .map(x -> Topics.BATCHES.decode(x.value()))
                    .toList();
            assertThat(events).hasAtLeastOneElementOfType(BatchCancelled.class);
        }
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            for (GenerationRequest r : requests.subList(2, 4)) {
                writer.send(
                        Topics.GENERATIONS.name(),
                        r.jobId(),
                        Topics.GENERATIONS.encode(GenerationResult.failed(
                                r, GenerationResult.Status.CANCELLED, "batch was cancelled", Instant.now())));
            }
        }
        HttpResponse<String> events = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(base.resolve("/api/batches/" + batchId + "/events"))
                                .timeout(Duration.ofSeconds(20))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(events.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> data =
                events.body().lines().filter(l -> l.startsWith("data:")).toList();
        assertThat(data).isNotEmpty();
        assertThat(data.get(data.size() - 1))
                .contains("\"cancelled\":2")
                .contains("\"finished\":true")
                .contains("\"cancelRequested\":true");
        given().when().delete("/api/batches/" + batchId).then().statusCode(409);
        given().when().get("/api/batches/nope").then().statusCode(404).contentType("application/problem+json");
    }
}
