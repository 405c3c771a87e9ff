package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
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
            // The bad-input catalogue shares this profile: small limits keep its too-large uploads small.
            return Map.of("meadow.gateway.api-keys", "key-one,key-two",
                    "meadow.gateway.datasets.max-entries", "50",
                    "meadow.gateway.datasets.max-annotations-bytes", "100000");
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

    @Test
    void afterLoginAPostOnlyGalleryActionReturnsToThePageItWasSentFrom() {
        String port = String.valueOf(io.restassured.RestAssured.port);
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("Referer", "http://localhost:" + port + "/images/img-000001?from=gallery")
                .when().post("/images/img-000001/more")
                .then().statusCode(303)
                .header("Location", containsString("/login?next=%2Fimages%2Fimg-000001%3Ffrom%3Dgallery"));
        // Without a Referer (or with one from another site), the page the action belongs to.
        for (String[] action : List.of(new String[] {"/images/img-000001/more", "%2Fimages%2Fimg-000001"},
                new String[] {"/images/img-000001/towards", "%2Fimages%2Fimg-000001"},
                new String[] {"/images/img-000001/model", "%2Fimages%2Fimg-000001"},
                new String[] {"/batches/b-1/cancel", "%2Fbatches%2Fb-1"},
                new String[] {"/models/cvae/m-1/activate", "%2Fmodels"},
                new String[] {"/batches", "%2Fbatches"},
                new String[] {"/datasets", "%2Fdatasets"})) {
            given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .header("Referer", "https://evil.example/images/x")
                    .when().post(action[0])
                    .then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/login?next="
                            + action[1]));
        }
        // What the login form then redirects to is a page that answers GET.
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one").formParam("next", "/batches/b-1")
                .when().post("/login").then().statusCode(303)
                .header("Location", equalTo("http://localhost:" + port + "/batches/b-1"));
        given().when().get("/batches").then().statusCode(200);
    }

    @Test
    void theLoginRedirectNeverLeavesThisOrigin() {
        String home = "http://localhost:" + io.restassured.RestAssured.port + "/";
        for (String next : List.of("/\\evil.example", "//evil.example", "/\\/evil.example", "\\\\evil.example",
                "https://evil.example/", "http:evil.example", "javascript:alert(1)", "/\t/evil.example",
                "/\n/evil.example", " //evil.example", "\t//evil.example",
                "/images/x\r\nSet-Cookie: a=b", "")) {
            String value = next;
            given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("key", "key-one").formParam("next", value)
                    .when().post("/login").then().statusCode(303).header("Location", equalTo(home));
            given().queryParam("next", value).when().get("/login").then().statusCode(200)
                    .body(containsString("name=\"next\" value=\"/\""));
        }
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one").formParam("next", "/images/img-1?q=cows%20snow#top")
                .when().post("/login").then().statusCode(303)
                .header("Location", equalTo(home + "images/img-1?q=cows%20snow#top"));
    }
}
