package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.FreePorts;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway whose broker is not there when it starts: submissions answer 503 with Retry-After (and never use up the
 * producer pool), readiness says the view is not being followed, and once the broker appears the gateway recovers
 * without a restart.
 */
@Tag("integration")
@QuarkusTest
@TestProfile(BrokerOutageTest.BrokerNotThereYet.class)
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class BrokerOutageTest {

    /** The late broker's administrator's port, with the stack's administrator's password: the gateway logs in there. */
    static final int LATE_BROKER_PORT = FreePorts.pick();

    public static class BrokerNotThereYet implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "meadow.kafka.bootstrap-servers",
                    "127.0.0.1:" + LATE_BROKER_PORT,
                    "meadow.kafka.provision-topics",
                    "false",
                    "meadow.gateway.broker-timeout",
                    "2s");
        }
    }

    @TestHTTPResource
    URI base;

    private HttpResponse<String> submit(HttpClient http) throws Exception {
        return http.send(
                HttpRequest.newBuilder(base.resolve("/api/generations"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"a cow in the rain\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void submissionsAnswer503UntilTheBrokerAppearsAndTheViewFollowsItThen(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        // More failures than the producer pool has producers: none may leave a slot taken.
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = submit(http);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(JsonPath.from(answer.body()).getString("detail")).contains("broker");
        }
        HttpResponse<String> batch = http.send(
                HttpRequest.newBuilder(base.resolve("/api/batches"))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("a cow\n--count 2 a sheep\n"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(503);
        assertThat(batch.headers().firstValue("Retry-After")).isPresent();
        JsonPath down = JsonPath.from(given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .extract()
                .asString());
        String check = "checks.find { it.name == 'Gallery following Kafka' }";
        assertThat(down.getString(check + ".status")).isEqualTo("DOWN");
        assertThat(down.getString(check + ".data.gallery")).startsWith("kafka: ");
        assertThat(down.getString(check + ".data.'training-events'")).contains("not followed");

        try (EmbeddedKafka broker = EmbeddedKafka.start(
                dir, 0, LATE_BROKER_PORT, DatabaseDevStackTestResource.stack().kafkaAdminPassword())) {
            TopicProvisioner.ensureTopics(broker.adminConnection(), TopicReplication.SINGLE_BROKER);
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(
                            () -> given().when().get("/q/health/ready").then().statusCode(200));
            HttpResponse<String> accepted = submit(http);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
    }
}
