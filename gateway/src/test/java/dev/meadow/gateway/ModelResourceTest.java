package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Path;
import java.time.Duration;

import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.messaging.ModelSeeding;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.TinyModels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ModelResourceTest {

    @BeforeAll
    static void publishModels() throws Exception {
        DevStack stack = DevStackTestResource.stack();
        ObjectStore store = new ObjectStore(new ObjectStoreSettings(stack.objectStoreEndpoint(), stack.accessKey(),
                stack.secretKey(), "us-east-1", "meadow-"));
        Path otherClip = TinyModels.get().decoderCopyFor("cvae-for-other-clip", "another-clip");
        try (ModelSeeding seeding = new ModelSeeding(store, stack.bootstrapServers())) {
            seeding.publish(TinyModels.get().clip(), true);
            seeding.publish(TinyModels.get().decoder(), false);
            seeding.publish(otherClip, false);
        }
    }

    @Test
    void versionsAreListedAndOneIsActivated() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/models/cvae")
                .then().statusCode(200).body("modelId", hasItem(TinyModels.DECODER_ID)));
        given().when().get("/api/models/clip").then().statusCode(200)
                .body("find { it.modelId == '" + TinyModels.CLIP_ID + "' }.active", equalTo(true));

        given().when().post("/api/models/cvae/" + TinyModels.DECODER_ID + "/activate")
                .then().statusCode(200).body("active", equalTo(true)).body("preset", equalTo("tiny-32"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when()
                .get("/api/models/cvae/" + TinyModels.DECODER_ID).then().statusCode(200)
                .body("active", equalTo(true)));
    }

    @Test
    void incompatibleUnknownAndMisspelledModelsAreRefused() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/api/models/cvae")
                .then().statusCode(200).body("modelId", hasItem("cvae-for-other-clip")));
        given().when().post("/api/models/cvae/cvae-for-other-clip/activate")
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("decoder cvae-for-other-clip was trained against CLIP another-clip, "
                        + "but the active CLIP is " + TinyModels.CLIP_ID));
        given().when().post("/api/models/cvae/nope/activate")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no cvae model nope is published"));
        given().when().get("/api/models/unicorn")
                .then().statusCode(404).body("detail", containsString("unknown model kind 'unicorn'"));
    }
}
