package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pages take their limits from configuration, as the API does; a broken judge CLIP costs only the captions. */
@Tag("integration")
@QuarkusTest
@TestProfile(ConfiguredPagesTest.OtherSettings.class)
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ConfiguredPagesTest {

    static final String JOB = "conf-000000";
    static final String BROKEN_JUDGE = "clip-judge-broken";

    public static class OtherSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "meadow.gateway.max-prompt-length",
                    "300",
                    "meadow.gateway.max-variants",
                    "12",
                    "meadow.gateway.more-like-this",
                    "6",
                    "meadow.gateway.datasets.default-epochs",
                    "7",
                    "meadow.gateway.datasets.max-epochs",
                    "500",
                    "meadow.gateway.captions.judge-model",
                    BROKEN_JUDGE,
                    "meadow.s3.public-endpoint",
                    "${meadow.s3.endpoint}",
                    // SlowUploadsTest uploads for longer than this.
                    "meadow.gateway.transaction-timeout",
                    "5s");
        }
    }

    @BeforeAll
    static void publishABrokenJudgeAndAnImage() throws Exception {
        Path judge = TinyModels.get().clipCopy(BROKEN_JUDGE);
        try (var files = Files.walk(judge)) {
            Path variables = files.filter(p -> p.getFileName().toString().startsWith("variables.data"))
                    .findFirst()
                    .orElseThrow();
            Files.write(variables, new byte[] {1, 2, 3});
        }
        CaptionResourceTest.publishJudgeAndARender(
                judge, JOB, "a render with a broken judge", Instant.parse("2026-11-22T10:00:00Z"));
    }

    @BeforeEach
    void theGatewayKnowsTheJudgeAndTheImage() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/clip/" + BROKEN_JUDGE)
                        .then()
                        .statusCode(200));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> given().when().get("/api/images/" + JOB).then().statusCode(200));
    }

    @Test
    void withTheStoresPublicAddressSetARedirectLeadsToAPresignedUrlThatServesThePicture() throws Exception {
        String location = given().redirects()
                .follow(false)
                .queryParam("redirect", true)
                .when()
                .get("/api/images/" + JOB + "/png")
                .then()
                .statusCode(307)
                .extract()
                .header("Location");
        assertThat(location)
                .startsWith(DevStackTestResource.stack().objectStoreEndpoint() + "/")
                .contains("X-Amz-Signature");
        java.net.http.HttpResponse<byte[]> picture = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(location))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(picture.statusCode()).isEqualTo(200);
        assertThat(dev.meadow.image.Png.decode(picture.body()).getWidth()).isPositive();
    }

    @Test
    void formsShowTheConfiguredLimits() {
        String page = given().when()
                .get("/images/" + JOB)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(page)
                .contains("maxlength=\"300\"")
                .contains("max=\"12\"")
                .contains("with 6 new seeds")
                .doesNotContain("maxlength=\"400\"")
                .doesNotContain("max=\"16\"");
        given().when()
                .get("/datasets")
                .then()
                .statusCode(200)
                .body(containsString("name=\"epochs\" value=\"7\" min=\"1\" max=\"500\""));
    }

    @Test
    void moreLikeThisAsksForTheConfiguredNumberOfSeeds() {
        String location = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .when()
                .post("/images/" + JOB + "/more")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        String batchId = location.substring(location.lastIndexOf('/') + 1);
        given().when().get("/api/batches/" + batchId).then().statusCode(200).body("total", equalTo(6));
    }

    @Test
    void aBrokenJudgeLeavesTheImagePageUpAndSaysWhy() {
        for (int i = 0; i < 3; i++) {
            given().when()
                    .get("/images/" + JOB)
                    .then()
                    .statusCode(200)
                    .body(containsString("a render with a broken judge"))
                    .body(containsString("No reverse captions"))
                    .body(containsString(BROKEN_JUDGE + " cannot be loaded"))
                    .body(not(containsString("Internal Server Error")));
        }
        given().when()
                .get("/api/images/" + JOB + "/captions")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString(BROKEN_JUDGE + " cannot be loaded"));
    }
}
