package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicWriter;
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
class ImageResourceTest {

    /** Stores images and results the way a generator does; "yaks" is this class's own word (the stack is shared). */
    @BeforeAll
    static void generatedImages() {
        DevStack stack = DevStackTestResource.stack();
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                        stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
                TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            store.ensureBuckets();
            String[] prompts = {
                "two brown yaks on green grass",
                "a white sheep in the snow",
                "brown yaks under a blue sky",
                "a landscape with hills",
                "<script>alert('x')</script> yaks"
            };
            Instant t = Instant.parse("2026-11-20T10:00:00Z");
            for (int i = 0; i < prompts.length; i++) {
                String batch = i < 3 ? "imgA" : "imgB";
                GenerationRequest request =
                        GenerationRequest.of(batch + "-00000" + i, batch, i, prompts[i], i, null, t);
                // Image 3 was drawn best of 12; candidate seed 777 won.
                long seed = i == 3 ? 777 : i;
                if (i == 3) {
                    request = request.withCandidates(12);
                }
                BufferedImage picture = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                picture.setRGB(1, 1, 0xff0000);
                store.put(
                        Bucket.IMAGES,
                        request.jobId() + ".png",
                        Png.encode(picture, Map.of("prompt", prompts[i])),
                        "image/png");
                GenerationResult result = GenerationResult.succeeded(
                        request,
                        seed,
                        request.jobId() + ".png",
                        8,
                        8,
                        i == 1 ? "model-2" : "model-1",
                        "clip-1",
                        new GenerationResult.Timings(1, 2, 30),
                        t.plusSeconds(i));
                Results.send(writer, result, batch.equals("imgA") ? 3 : 5);
            }
        }
    }

    @Test
    void searchFindsWordsByTheirStemNewestFirstAndFilters() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("q", "yaks")
                        .when()
                        .get("/api/images")
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(3))
                        .body("totalExact", equalTo(true))
                        .body("items.jobId", contains("imgB-000004", "imgA-000002", "imgA-000000")));
        given().queryParam("q", "YAKS brown")
                .when()
                .get("/api/images")
                .then()
                .body("items.jobId", contains("imgA-000002", "imgA-000000"));
        // English stemming: the singular finds the plural; a word that is in no prompt finds nothing.
        given().queryParam("q", "yak").when().get("/api/images").then().body("total", equalTo(3));
        given().queryParam("q", "yaks -brown")
                .when()
                .get("/api/images")
                .then()
                .body("items.jobId", contains("imgB-000004"));
        given().queryParam("q", "zebra")
                .when()
                .get("/api/images")
                .then()
                .body("total", equalTo(0))
                .body("items", org.hamcrest.Matchers.empty());
        given().queryParam("batch", "imgA")
                .queryParam("model", "model-2")
                .when()
                .get("/api/images")
                .then()
                .body("items.jobId", contains("imgA-000001"));
        given().queryParam("batch", "imgA")
                .queryParam("seed", 2)
                .when()
                .get("/api/images")
                .then()
                .body("items.jobId", contains("imgA-000002"))
                .body("total", equalTo(1));
        given().queryParam("batch", "imgA")
                .queryParam("from", "2026-11-20T10:00:01Z")
                .queryParam("to", "2026-11-20T10:00:02Z")
                .when()
                .get("/api/images")
                .then()
                .body("items.jobId", contains("imgA-000001"));
        given().queryParam("batch", "imgA")
                .queryParam("from", "2026-11-21")
                .when()
                .get("/api/images")
                .then()
                .body("total", equalTo(0));
    }

    @Test
    void pagesFollowOneAnotherByCursorBothWays() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().queryParam("batch", "imgA")
                        .when()
                        .get("/api/images")
                        .then()
                        .body("total", equalTo(3)));
        var first = given().queryParam("batch", "imgA")
                .queryParam("size", 2)
                .when()
                .get("/api/images")
                .then()
                .statusCode(200)
                .body("items.jobId", contains("imgA-000002", "imgA-000001"))
                .body("previous", equalTo(null))
                .extract()
                .jsonPath();
        String next = first.getString("next");
        assertThat(next).isNotBlank();
        var second = given().queryParam("batch", "imgA")
                .queryParam("size", 2)
                .queryParam("after", next)
                .when()
                .get("/api/images")
                .then()
                .statusCode(200)
                .body("total", equalTo(3))
                .body("items.jobId", contains("imgA-000000"))
                .body("next", equalTo(null))
                .extract()
                .jsonPath();
        given().queryParam("batch", "imgA")
                .queryParam("size", 2)
                .queryParam("before", second.getString("previous"))
                .when()
                .get("/api/images")
                .then()
                .statusCode(200)
                .body("items.jobId", contains("imgA-000002", "imgA-000001"))
                .body("previous", equalTo(null));
    }

    @Test
    void badSearchParametersAreRefused() {
        given().queryParam("size", 0)
                .when()
                .get("/api/images")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void anImageHasItsMetadataAndItsPng() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/images/imgA-000001")
                        .then()
                        .statusCode(200)
                        .body("prompt", equalTo("a white sheep in the snow"))
                        .body("seed", equalTo(1))
                        .body("modelVersion", equalTo("model-2"))
                        .body("imageUrl", equalTo("/api/images/imgA-000001/png")));
        byte[] png = given().when()
                .get("/api/images/imgA-000001/png")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        assertThat(Png.decode(png).getRGB(1, 1) & 0xffffff).isEqualTo(0xff0000);
        assertThat(Png.readText(png)).containsEntry("prompt", "a white sheep in the snow");

        // Without the store's public address, a redirect would lead browsers to an address they cannot reach.
        byte[] unredirected = given().redirects()
                .follow(false)
                .queryParam("redirect", true)
                .when()
                .get("/api/images/imgA-000001/png")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        assertThat(unredirected).isEqualTo(png);
        given().queryParam("redirect", "maybe")
                .when()
                .get("/api/images/imgA-000001/png")
                .then()
                .statusCode(400)
                .body("detail", equalTo("redirect must be true or false, not 'maybe'"));

        given().when().get("/api/images/imgA-000001").then().body("candidates", equalTo(null));
        given().when()
                .get("/api/images/imgB-000003")
                .then()
                .statusCode(200)
                .body("seed", equalTo(777))
                .body("candidates", equalTo(12));
        assertThat(given().when()
                        .get("/images/imgB-000003")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .contains("777 <span class=\"muted\">(the best of 12 candidates by CLIP clip-1)</span>");

        given().when().get("/api/images/nope").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/images/nope/png").then().statusCode(404);
    }
}
