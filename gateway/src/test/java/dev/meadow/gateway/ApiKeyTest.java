package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import dev.meadow.devstack.DevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
@WithTestResource(value = DevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meadow.gateway.api-keys", "key-one,key-two");
        }
    }

    @Test
    void writesNeedAValidKeyAndReadsDoNot() {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"a cow\"}")
                .when().post("/api/generations").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"meadow\"")
                .body("detail", equalTo("writes need an API key: Authorization: Bearer <key>"));
        given().contentType(ContentType.JSON).body("{\"prompt\": \"a cow\"}").header("Authorization", "Bearer nope")
                .when().post("/api/generations").then().statusCode(401).body("detail", equalTo("the API key is not valid"));
        given().contentType(ContentType.JSON).body("{\"prompt\": \"a cow\"}").header("Authorization", "Bearer key-two")
                .when().post("/api/generations").then().statusCode(202);
        given().when().get("/api/images").then().statusCode(200);
        given().when().delete("/api/batches/whatever").then().statusCode(401);
    }

    @Test
    void theGalleryAsksForTheKeyOnceAndKeepsItInACookie() {
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow").when().post("/batches")
                .then().statusCode(303).header("Location", containsString("/login?next=%2Fbatches"));
        given().contentType("application/x-www-form-urlencoded").formParam("key", "wrong").formParam("next", "/batches")
                .when().post("/login").then().statusCode(401).body(containsString("That key is not valid."));
        String cookie = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one").formParam("next", "https://evil.example/")
                .when().post("/login").then().statusCode(303).header("Location", equalTo("http://localhost:"
                        + io.restassured.RestAssured.port + "/"))
                .extract().cookie("meadow_api_key");
        given().redirects().follow(false).cookie("meadow_api_key", cookie).contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow").when().post("/batches").then().statusCode(303)
                .header("Location", containsString("/batches/"));
    }
}
