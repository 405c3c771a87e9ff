package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.gateway.service.Sessions;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The bad-input catalogue shares this profile: small limits keep its too-large uploads small.
            return Map.of(
                    "meadow.gateway.api-keys",
                    "key-one,key-two",
                    "meadow.gateway.datasets.max-entries",
                    "50",
                    "meadow.gateway.datasets.max-annotations-bytes",
                    "100000",
                    // As behind a TLS proxy: X-Forwarded-Proto tells the gateway that the browser used https.
                    "quarkus.http.proxy.proxy-address-forwarding",
                    "true",
                    "quarkus.http.proxy.allow-x-forwarded",
                    "true");
        }
    }

    @Test
    void writesNeedAValidKeyAndReadsDoNot() {
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer realm=\"meadow\"")
                .body("detail", equalTo("writes need an API key: Authorization: Bearer <key>"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\"}")
                .header("Authorization", "Bearer nope")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\"}")
                .header("Authorization", "Bearer key-two")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202);
        given().when().get("/api/images").then().statusCode(200);
        given().when().delete("/api/batches/whatever").then().statusCode(401);
    }

    @Test
    void theGalleryAsksForTheKeyOnceAndKeepsItInACookie() {
        given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow")
                .when()
                .post("/batches")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?next=%2Fbatches"));
        given().contentType("application/x-www-form-urlencoded")
                .formParam("key", "wrong")
                .formParam("next", "/batches")
                .when()
                .post("/login")
                .then()
                .statusCode(401)
                .body(containsString("That key is not valid."));
        String cookie = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one")
                .formParam("next", "https://evil.example/")
                .when()
                .post("/login")
                .then()
                .statusCode(303)
                .header("Location", equalTo("http://localhost:" + io.restassured.RestAssured.port + "/"))
                .extract()
                .cookie("meadow_api_key");
        given().redirects()
                .follow(false)
                .cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .contentType("application/x-www-form-urlencoded")
                .formParam("prompts", "a cow")
                .formParam("csrf", Sessions.formToken(cookie))
                .when()
                .post("/batches")
                .then()
                .statusCode(303)
                .header("Location", containsString("/batches/"));
    }

    private static String origin() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }

    private static String loggedIn() {
        return login(null).then().statusCode(303).extract().cookie("meadow_api_key");
    }

    /** A form post with the login cookie; a null {@code origin} sends no Origin, a null {@code csrf} no token. */
    private static io.restassured.specification.RequestSpecification cookieForm(
            String cookie, String origin, String csrf) {
        var spec = given().redirects()
                .follow(false)
                .cookie("meadow_api_key", cookie)
                .contentType("application/x-www-form-urlencoded");
        if (origin != null) {
            spec = spec.header("Origin", origin);
        }
        return csrf == null ? spec : spec.formParam("csrf", csrf);
    }

    @Test
    void aCookieWriteNeedsThisOriginAndTheSessionsFormToken() {
        String cookie = loggedIn();
        String token = Sessions.formToken(cookie);
        // The form from the gallery's page: its origin and its token.
        cookieForm(cookie, origin(), token)
                .post("/images/img-000001/more")
                .then()
                .statusCode(org.hamcrest.Matchers.not(403));
        // Without the token, with another session's, from another site, from another port, or with no origin.
        cookieForm(cookie, origin(), null)
                .formParam("prompts", "a cow")
                .post("/batches")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("form token"));
        cookieForm(cookie, origin(), Sessions.formToken(loggedIn()))
                .formParam("prompts", "a cow")
                .post("/batches")
                .then()
                .statusCode(403);
        for (String foreign :
                List.of("http://evil.example", "http://localhost:1", "null", origin().replace("//", "//user@"))) {
            cookieForm(cookie, foreign, token)
                    .post("/images/img-000001/more")
                    .then()
                    .statusCode(403)
                    .body("detail", containsString("own pages"));
        }
        cookieForm(cookie, null, token)
                .header("Referer", "http://evil.example/page")
                .post("/batches/b-1/cancel")
                .then()
                .statusCode(403);
        cookieForm(cookie, null, token).post("/batches/b-1/cancel").then().statusCode(403);
        // A second session cookie, as a site on another port of this host can plant one: which is the browser's?
        given().redirects()
                .follow(false)
                .header("Cookie", "meadow_api_key=" + cookie + "; meadow_api_key=planted")
                .header("Origin", origin())
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", token)
                .post("/logout")
                .then()
                .statusCode(403)
                .body("detail", containsString("more than one"));
        // The API with the cookie: a plain HTML form can send text/plain, so the token header is required.
        given().cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .contentType("text/plain")
                .body("a cow\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .header("X-CSRF-Token", token)
                .contentType("text/plain")
                .body("a cow\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202);
        // Bearer keys need none of this: API clients are not browsers.
        given().header("Authorization", "Bearer key-one")
                .header("Origin", "http://evil.example")
                .contentType("text/plain")
                .body("a cow\n")
                .when()
                .post("/api/batches")
                .then()
                .statusCode(202);
    }

    private static io.restassured.response.Response login(String forwardedProto) {
        var request = given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one")
                .formParam("next", "/batches");
        if (forwardedProto != null) {
            request = request.header("X-Forwarded-Proto", forwardedProto);
        }
        return request.when().post("/login");
    }

    private static int cancelWithCookie(String value) {
        return given().redirects()
                .follow(false)
                .cookie("meadow_api_key", value)
                .header("Origin", origin())
                .header("X-CSRF-Token", Sessions.formToken(value))
                .when()
                .delete("/api/batches/no-such-batch")
                .statusCode();
    }

    @Test
    void theLoginCookieHoldsASessionThatExpiresNotTheKey() {
        io.restassured.http.Cookie cookie =
                login(null).then().statusCode(303).extract().detailedCookie("meadow_api_key");
        org.assertj.core.api.Assertions.assertThat(cookie.getValue())
                .doesNotContain("key-one")
                .isNotBlank();
        org.assertj.core.api.Assertions.assertThat(cookie.isHttpOnly()).isTrue();
        org.assertj.core.api.Assertions.assertThat(cookie.getSameSite()).isEqualToIgnoringCase("Strict");
        org.assertj.core.api.Assertions.assertThat(cookie.getMaxAge()).isEqualTo(12 * 3600);
        org.assertj.core.api.Assertions.assertThat(cookie.isSecured())
                .as("Secure over plain http")
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(cancelWithCookie(cookie.getValue()))
                .as("the session writes")
                .isEqualTo(404);
        // The raw key is no session, and neither is a session changed by a byte.
        org.assertj.core.api.Assertions.assertThat(cancelWithCookie("key-one")).isEqualTo(401);
        String value = cookie.getValue();
        String tampered = value.substring(0, value.length() - 1) + (value.endsWith("A") ? "B" : "A");
        org.assertj.core.api.Assertions.assertThat(cancelWithCookie(tampered)).isEqualTo(401);

        io.restassured.http.Cookie secure =
                login("https").then().statusCode(303).extract().detailedCookie("meadow_api_key");
        org.assertj.core.api.Assertions.assertThat(secure.isSecured())
                .as("Secure behind TLS")
                .isTrue();
    }

    @Test
    void logoutEndsTheSessionForGoodNotJustTheCookie() {
        String cookie = loggedIn();
        org.assertj.core.api.Assertions.assertThat(cancelWithCookie(cookie)).isEqualTo(404);
        // A logout needs the session's own token too, so that another site cannot end it.
        given().redirects()
                .follow(false)
                .cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .when()
                .post("/logout")
                .then()
                .statusCode(403);
        given().redirects()
                .follow(false)
                .cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", Sessions.formToken(cookie))
                .when()
                .post("/logout")
                .then()
                .statusCode(303);
        // A copy of the cookie kept from before the logout is worth nothing now.
        org.assertj.core.api.Assertions.assertThat(cancelWithCookie(cookie)).isEqualTo(401);
        given().redirects()
                .follow(false)
                .cookie("meadow_api_key", cookie)
                .header("Origin", origin())
                .header("X-CSRF-Token", Sessions.formToken(cookie))
                .contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cow\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(401)
                .body("detail", containsString("log in again"));
    }

    @Test
    void logoutEndsTheSession() {
        given().redirects()
                .follow(false)
                .when()
                .post("/logout")
                .then()
                .statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/"))
                .header("Set-Cookie", containsString("meadow_api_key=;"))
                .header("Set-Cookie", containsString("Max-Age=0"));
        org.assertj.core.api.Assertions.assertThat(
                        given().when().get("/").then().statusCode(200).extract().asString())
                .contains("action=\"/logout\"");
    }

    @Test
    void pagesApiAndPicturesCarrySecurityHeaders() {
        for (String path :
                List.of("/", "/batches", "/login", "/api/images", "/api/batches/nope", "/static/meadow.css")) {
            var response = given().when().get(path).then().extract();
            org.assertj.core.api.Assertions.assertThat(response.header("X-Content-Type-Options"))
                    .as(path)
                    .isEqualTo("nosniff");
            if (!path.startsWith("/static")) {
                org.assertj.core.api.Assertions.assertThat(response.header("Content-Security-Policy"))
                        .as(path)
                        .contains("default-src 'self'")
                        .contains("frame-ancestors 'none'")
                        .contains("object-src 'none'");
                org.assertj.core.api.Assertions.assertThat(response.header("X-Frame-Options"))
                        .as(path)
                        .isEqualTo("DENY");
            }
        }
    }

    @Test
    void afterLoginAPostOnlyGalleryActionReturnsToThePageItWasSentFrom() {
        String port = String.valueOf(io.restassured.RestAssured.port);
        given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .header("Referer", "http://localhost:" + port + "/images/img-000001?from=gallery")
                .when()
                .post("/images/img-000001/more")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?next=%2Fimages%2Fimg-000001%3Ffrom%3Dgallery"));
        // Without a Referer (or with one from another site), the page the action belongs to.
        for (String[] action : List.of(
                new String[] {"/images/img-000001/more", "%2Fimages%2Fimg-000001"},
                new String[] {"/images/img-000001/towards", "%2Fimages%2Fimg-000001"},
                new String[] {"/images/img-000001/model", "%2Fimages%2Fimg-000001"},
                new String[] {"/batches/b-1/cancel", "%2Fbatches%2Fb-1"},
                new String[] {"/models/cvae/m-1/activate", "%2Fmodels"},
                new String[] {"/batches", "%2Fbatches"},
                new String[] {"/datasets", "%2Fdatasets"})) {
            given().redirects()
                    .follow(false)
                    .contentType("application/x-www-form-urlencoded")
                    .header("Referer", "https://evil.example/images/x")
                    .when()
                    .post(action[0])
                    .then()
                    .statusCode(303)
                    .header("Location", org.hamcrest.Matchers.endsWith("/login?next=" + action[1]));
        }
        // What the login form then redirects to is a page that answers GET.
        given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one")
                .formParam("next", "/batches/b-1")
                .when()
                .post("/login")
                .then()
                .statusCode(303)
                .header("Location", equalTo("http://localhost:" + port + "/batches/b-1"));
        given().when().get("/batches").then().statusCode(200);
    }

    @Test
    void theLoginRedirectNeverLeavesThisOrigin() {
        String home = "http://localhost:" + io.restassured.RestAssured.port + "/";
        for (String next : List.of(
                "/\\evil.example",
                "//evil.example",
                "/\\/evil.example",
                "\\\\evil.example",
                "https://evil.example/",
                "http:evil.example",
                "javascript:alert(1)",
                "/\t/evil.example",
                "/\n/evil.example",
                " //evil.example",
                "\t//evil.example",
                "/images/x\r\nSet-Cookie: a=b",
                "")) {
            String value = next;
            given().redirects()
                    .follow(false)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("key", "key-one")
                    .formParam("next", value)
                    .when()
                    .post("/login")
                    .then()
                    .statusCode(303)
                    .header("Location", equalTo(home));
            given().queryParam("next", value)
                    .when()
                    .get("/login")
                    .then()
                    .statusCode(200)
                    .body(containsString("name=\"next\" value=\"/\""));
        }
        given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one")
                .formParam("next", "/images/img-1?q=cows%20snow#top")
                .when()
                .post("/login")
                .then()
                .statusCode(303)
                .header("Location", equalTo(home + "images/img-1?q=cows%20snow#top"));
    }
}
