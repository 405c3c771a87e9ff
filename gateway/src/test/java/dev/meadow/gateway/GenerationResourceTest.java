package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class GenerationResourceTest {

    private static TopicInspector inspector() {
        return new TopicInspector(DevStackTestResource.stack().kafkaAdmin());
    }

    @Test
    void aPromptLandsOnThePromptsTopicKeyedByItsJobId() {
        String jobId = given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow in the grass under a blue sky\", \"seed\": 7}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/api/batches/"))
                .body("total", equalTo(1))
                .body("jobs", hasSize(1))
                .body("jobs[0].seed", equalTo(7))
                .extract()
                .path("jobs[0].jobId");

        try (TopicInspector inspector = inspector()) {
            List<ConsumerRecord<String, byte[]>> records = inspector.readUntil(
                    Topics.PROMPTS.name(),
                    r -> r.stream().anyMatch(x -> x.key().equals(jobId)),
                    Duration.ofSeconds(20));
            ConsumerRecord<String, byte[]> record = records.stream()
                    .filter(x -> x.key().equals(jobId))
                    .findFirst()
                    .orElseThrow();
            GenerationRequest request = Topics.PROMPTS.decode(record.value());
            assertThat(request.prompt()).isEqualTo("a cow in the grass under a blue sky");
            assertThat(request.seed()).isEqualTo(7);
            assertThat(request.jobId()).startsWith(request.batchId() + "-");
        }
    }

    @Test
    void variantsGetConsecutiveSeedsFromTheReportedSeedGivenOrDrawn() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"sheep on a snowy hill\", \"seed\": 100, \"count\": 3}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .body("seed", equalTo(100))
                .body("jobs.seed", org.hamcrest.Matchers.contains(100, 101, 102));

        io.restassured.path.json.JsonPath drawn = given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a lone horse\", \"count\": 2}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        long seed = drawn.getLong("seed");
        assertThat(seed).isNotNegative();
        assertThat(drawn.getList("jobs.seed", Long.class)).containsExactly(seed, seed + 1);
    }

    @Test
    void aStripTowardsASecondPromptKeepsItsSeedAndSpacesTheWeights() {
        String batchId = given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows on green grass\", \"seed\": 11, \"towards\": \"a snowy field at night\", "
                        + "\"steps\": 4}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .body("total", equalTo(4))
                .body("jobs.seed", org.hamcrest.Matchers.contains(11, 11, 11, 11))
                .extract()
                .path("batchId");

        try (TopicInspector inspector = inspector()) {
            List<GenerationRequest> strip = inspector
                    .readUntil(
                            Topics.PROMPTS.name(),
                            r -> r.stream()
                                            .filter(x -> x.key().startsWith(batchId))
                                            .count()
                                    == 4,
                            Duration.ofSeconds(20))
                    .stream()
                    .filter(x -> x.key().startsWith(batchId))
                    .map(x -> Topics.PROMPTS.decode(x.value()))
                    .sorted(java.util.Comparator.comparingInt(GenerationRequest::index))
                    .toList();
            assertThat(strip).extracting(GenerationRequest::prompt).containsOnly("cows on green grass");
            assertThat(strip).extracting(r -> r.towards().prompt()).containsOnly("a snowy field at night");
            assertThat(strip).extracting(r -> r.towards().weight()).containsExactly(0.0, 1.0 / 3, 2.0 / 3, 1.0);
        }
    }

    @Test
    void bestOfNTravelsWithEachRequestAndIsChecked() {
        String batchId = given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"sheep on snow\", \"seed\": 5, \"count\": 2, \"candidates\": 16}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .body("total", equalTo(2))
                .extract()
                .path("batchId");
        try (TopicInspector inspector = inspector()) {
            List<GenerationRequest> requests = inspector
                    .readUntil(
                            Topics.PROMPTS.name(),
                            r -> r.stream()
                                            .filter(x -> x.key().startsWith(batchId))
                                            .count()
                                    == 2,
                            Duration.ofSeconds(20))
                    .stream()
                    .filter(x -> x.key().startsWith(batchId))
                    .map(x -> Topics.PROMPTS.decode(x.value()))
                    .toList();
            assertThat(requests).extracting(GenerationRequest::candidateCount).containsOnly(16);
            assertThat(requests).extracting(GenerationRequest::seed).containsExactlyInAnyOrder(5L, 6L);
        }

        for (String bad : new String[] {"0", "65"}) {
            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"cows\", \"candidates\": " + bad + "}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .body("errors.field", hasItem("candidates"))
                    .body("errors.message", hasItem("candidates must be between 1 and 64"));
        }
        // The seed a best-of-N image reports can be any 64-bit value, and submitting it again must work.
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"sheep\", \"seed\": 9223372036854775807, \"count\": 2}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202)
                .body("jobs.seed", org.hamcrest.Matchers.contains(Long.MAX_VALUE, Long.MIN_VALUE));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows\", \"towards\": \"sheep\", \"candidates\": 4}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("a strip keeps one latent")));
        given().contentType(ContentType.TEXT)
                .body("--candidates 8 cows\n--candidates 99 sheep\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body(
                        "errors.message",
                        hasItem(org.hamcrest.Matchers.containsString("candidates must be between 1 and 64")));
    }

    @Test
    void badStripsAreRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows\", \"towards\": \"  \"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("towards"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows\", \"towards\": \"sheep\", \"count\": 3}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("count"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows\", \"towards\": \"sheep\", \"steps\": 1}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("steps"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"cows\", \"steps\": 4}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("steps needs towards")));
    }

    @Test
    void badInputGetsAProblemAndPublishesNothing() {
        try (TopicInspector inspector = inspector()) {
            long before = inspector.count(Topics.PROMPTS.name());

            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"   \"}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Invalid request"))
                    .body("errors.field", hasItem("prompt"));

            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"" + "x".repeat(501) + "\"}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].message", equalTo("prompt is 501 characters long; the maximum is 500"));

            given().contentType(ContentType.TEXT)
                    .body("a cow")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(415)
                    .contentType("application/problem+json")
                    .body("status", equalTo(415));

            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"a cow\",")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("title", equalTo("Malformed JSON"));

            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"a cow\", \"seed\": \"seven\"}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("seed"));

            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"a cow\", \"count\": 0}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .body("errors.field", hasItem("count"));

            given().contentType(ContentType.JSON)
                    .body("")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");

            assertThat(inspector.count(Topics.PROMPTS.name())).isEqualTo(before);
        }
    }

    @Test
    void readinessReportsBrokerAndObjectStore() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Object store connection"))
                .body("checks.name", hasItem("Kafka connection health check"));
    }
}
