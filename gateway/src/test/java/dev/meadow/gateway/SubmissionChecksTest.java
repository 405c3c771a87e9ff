package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a submission is checked for before anything is queued: prompts as people write them, types, versions. */
@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class SubmissionChecksTest {

    static final String OTHER_CLIP_DECODER = "cvae-checks-other-clip";

    @BeforeAll
    static void publishModels() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        Path otherClip = TinyModels.get().decoderCopyFor(OTHER_CLIP_DECODER, "another-clip");
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                        stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
                ModelSeeding seeding = new ModelSeeding(store, stack.kafkaAdmin())) {
            store.ensureBuckets();
            seeding.publish(TinyModels.get().clip(), true);
            seeding.publish(TinyModels.get().decoder(), false);
            seeding.publish(otherClip, false);
        }
    }

    @BeforeEach
    void theGatewayKnowsTheModels() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().when()
                        .get("/api/models/cvae")
                        .then()
                        .statusCode(200)
                        .body("modelId", hasItems(TinyModels.DECODER_ID, OTHER_CLIP_DECODER)));
    }

    @Test
    void apostrophesAndQuotesInPlainLinesAreKeptVerbatim() {
        String body = """
                there's a cow on the farmer's field
                There's a cow that has a Television on its side
                --seed 5 a "quoted" word and the farmer's dog
                """;
        String batchId = given().contentType(ContentType.TEXT)
                .body(body)
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202)
                .body("total", equalTo(3))
                .extract()
                .path("batchId");
        assertThat(BatchResourceTest.requests(batchId))
                .extracting(GenerationRequest::prompt)
                .containsExactly(
                        "there's a cow on the farmer's field",
                        "There's a cow that has a Television on its side",
                        "a \"quoted\" word and the farmer's dog");
    }

    @Test
    void aByteOrderMarkAtTheStartIsIgnoredInEveryFormat() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String text = "# a comment\n--seed 5 a red barn\n";
        String lines = "{\"prompt\": \"a red barn\", \"seed\": 5}\n";
        String array = "[{\"prompt\": \"a red barn\", \"seed\": 5}]";
        for (String[] format :
                new String[][] {{"text/plain", text}, {"application/x-ndjson", lines}, {"application/json", array}}) {
            byte[] body = new byte[3 + format[1].getBytes(StandardCharsets.UTF_8).length];
            System.arraycopy(bom, 0, body, 0, 3);
            System.arraycopy(format[1].getBytes(StandardCharsets.UTF_8), 0, body, 3, body.length - 3);
            String batchId = given().contentType(format[0])
                    .body(body)
                    .when()
                    .post("/api/batches")
                    .then()
                    .statusCode(202)
                    .body("total", equalTo(1))
                    .extract()
                    .path("batchId");
            assertThat(BatchResourceTest.requests(batchId))
                    .as(format[0])
                    .singleElement()
                    .satisfies(r -> assertThat(r.prompt()).isEqualTo("a red barn"))
                    .satisfies(r -> assertThat(r.seed()).isEqualTo(5L));
        }
    }

    @Test
    void aPromptMustBeAJsonString() {
        long before = BatchResourceTest.promptsOnTopic();
        for (String prompt : List.of("5", "true", "[\"a cow\"]", "{\"text\": \"a cow\"}", "12.5")) {
            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": " + prompt + "}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("prompt"));
        }
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"towards\": 7}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("towards"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"modelVersion\": 7}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("modelVersion"));
        assertThat(BatchResourceTest.promptsOnTopic()).isEqualTo(before);
    }

    @Test
    void controlCharactersOtherThanWhiteSpaceAreRefused() {
        long before = BatchResourceTest.promptsOnTopic();
        for (String prompt : List.of("a cow\\u0000", "a\\u0007cow", "sheep\\u001b[31m red", "a cow\\u007f")) {
            given().contentType(ContentType.JSON)
                    .body("{\"prompt\": \"" + prompt + "\"}")
                    .when()
                    .post("/api/generations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("prompt"))
                    .body("errors[0].message", containsString("control character"));
        }
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"towards\": \"snow\\u0000\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("towards"));
        given().contentType(ContentType.TEXT)
                .body("a cow\nsheep \u0007 ringing\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("line 2"))
                .body("errors[0].message", containsString("U+0007"));
        given().contentType("application/x-ndjson")
                .body("{\"prompt\": \"a\\u0000cow\"}\n".getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("line 1"));
        assertThat(BatchResourceTest.promptsOnTopic()).isEqualTo(before);

        // Ordinary white space stays allowed.
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\\tin the grass\\nunder a blue sky\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202);
    }

    @Test
    void unknownAndIncompatibleModelVersionsAreRefusedAtOnceNamingThoseThatExist() {
        long before = BatchResourceTest.promptsOnTopic();
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"modelVersion\": \"no-such-decoder\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("modelVersion"))
                .body("errors[0].message", containsString("no-such-decoder is not published"))
                .body("errors[0].message", containsString(TinyModels.DECODER_ID));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"modelVersion\": \"" + OTHER_CLIP_DECODER + "\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("modelVersion"))
                .body("errors[0].message", containsString("trained against CLIP another-clip"))
                .body("errors[0].message", containsString(TinyModels.DECODER_ID));
        given().contentType(ContentType.TEXT)
                .body("a cow\n--model no-such-decoder sheep\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("line 2"))
                .body("errors[0].message", containsString("no-such-decoder is not published"));
        assertThat(BatchResourceTest.promptsOnTopic()).isEqualTo(before);

        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\", \"modelVersion\": \"" + TinyModels.DECODER_ID + "\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202);
    }

    @Test
    void aCursorBeyondTheLastImageGivesAnEmptyPageAndAPageNumberIsRefused() throws Exception {
        try (TopicWriter writer = new TopicWriter(DevStackTestResource.stack().kafkaAdmin())) {
            Instant t = Instant.parse("2026-11-28T10:00:00Z");
            GenerationRequest request = GenerationRequest.of("pagefar-000000", "pagefar", 0, "a far cow", 1, null, t);
            Results.send(
                    writer,
                    GenerationResult.succeeded(
                            request,
                            request.jobId() + ".png",
                            32,
                            32,
                            "m-1",
                            "clip-1",
                            new GenerationResult.Timings(1, 1, 1),
                            t));
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/images?batch=pagefar")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(1)));
        String beyond = new dev.meadow.gateway.service.gallery.Cursor(Instant.parse("2026-11-28T09:59:59Z"), "pagefar")
                .encode();
        given().queryParam("after", beyond)
                .when()
                .get("/api/images?batch=pagefar&size=24")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items", hasSize(0))
                .body("next", equalTo(null));
        given().when()
                .get("/api/images?batch=pagefar&page=89478486&size=24")
                .then()
                .statusCode(400)
                .body("detail", containsString("after"));
    }
}
