package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.meadow.cli.bench.GalleryLoad;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The gallery's database under a crashing gateway and a database outage: every image once, nothing missing. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GalleryIT {

    private static final int IMAGES = 60_000;

    @Test
    @Order(1)
    void aGatewayKilledInTheMiddleOfAProjectionCountsEveryImageExactlyOnce() throws Exception {
        LocalStack stack = LocalStack.get();
        stack.kill("gateway");
        try (GalleryLoad load = new GalleryLoad(stack.kafkaAdmin(), 15)) {
            load.writeBatch("e2e-kill", IMAGES, Instant.parse("2026-11-30T08:00:00Z"));
            load.flush();
        }
        // The gateway projects the backlog as it starts: kill it once part of it is in the database.
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
            try {
                stack.restart("gateway");
            } catch (Exception killedWhileStarting) {
                // Expected: it is killed below, possibly before it is ready.
            }
        });
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> imagesOf(stack, "e2e-kill") > 0);
        stack.kill("gateway");
        long projectedWhenKilled = imagesOf(stack, "e2e-kill");
        starting.join();
        assertThat(projectedWhenKilled)
                .as("killed in the middle of the projection")
                .isBetween(1L, IMAGES - 1L);

        stack.restart("gateway");
        await().atMost(Duration.ofMinutes(3)).until(() -> imagesOf(stack, "e2e-kill") == IMAGES);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.get("/api/batches/e2e-kill").body().contains("\"generated\":" + IMAGES));
        try (Connection db = database(stack)) {
            assertThat(single(db, "SELECT generated FROM batches WHERE batch_id = 'e2e-kill'"))
                    .isEqualTo(IMAGES);
            assertThat(single(db, "SELECT images FROM gallery_totals"))
                    .isEqualTo(single(db, "SELECT count(*) FROM jobs WHERE status = 'SUCCEEDED'"));
        }
        HttpResponse<String> batch = stack.get("/api/batches/e2e-kill");
        assertThat(batch.body()).contains("\"total\":" + IMAGES).contains("\"finished\":true");
        assertThat(stack.get("/api/images?batch=e2e-kill&size=1").body()).contains("\"total\":" + IMAGES);

        // A restart resumes where the projection stopped: the stored offsets never go back (no replay).
        long stored = storedOffsets(stack);
        stack.kill("gateway");
        stack.restart("gateway");
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            lowest = Math.min(lowest, storedOffsets(stack));
            Thread.sleep(250);
        }
        assertThat(lowest).as("offsets after the restart").isGreaterThanOrEqualTo(stored);
    }

    private static long storedOffsets(LocalStack stack) throws SQLException {
        try (Connection db = database(stack)) {
            return single(db, "SELECT coalesce(sum(next_offset), 0) FROM projection_offsets");
        }
    }

    @Test
    @Order(2)
    void aDatabaseDownForThirtySecondsDelaysTheGalleryButLosesNothing() throws Exception {
        LocalStack stack = LocalStack.get();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(Results.submit(stack, "a lamb before the database outage " + i, i));
        }
        String session = login(stack.gatewayPort);
        String token = formToken(stack.gatewayPort, session);
        stack.devstack.stopDatabase();
        long down = System.nanoTime();
        try {
            // A login session cannot be checked without the database: its writes wait, bearer keys do not.
            HttpResponse<String> withCookie = postWithSession(
                    stack.gatewayPort, session, token, "{\"prompt\": \"a lamb with a cookie during the outage\"}");
            assertThat(withCookie.statusCode()).as(withCookie.body()).isEqualTo(503);
            assertThat(withCookie.headers().firstValue("Retry-After")).isPresent();
            assertThat(withCookie.body()).contains("Authorization: Bearer");
            for (int i = 0; i < 10; i++) {
                jobs.add(Results.submit(stack, "a lamb during the database outage " + i, i));
            }
            HttpResponse<String> listing = stack.get("/api/images?q=lamb");
            assertThat(listing.statusCode()).isEqualTo(503);
            assertThat(listing.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(listing.body()).contains("the gallery's database is unavailable");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> ready = stack.get("/q/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("\"gallery\"");
            });
            Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - down) / 1_000_000));
        } finally {
            stack.devstack.startDatabase();
        }
        Results.assertExactlyOneSuccessEach(Results.await(stack, jobs, Duration.ofMinutes(4)), jobs);
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            for (String job : jobs) {
                assertThat(stack.get("/api/images/" + job).statusCode()).as(job).isEqualTo(200);
            }
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.get("/q/health/ready").statusCode() == 200);
        for (String job : jobs) {
            String batch = job.substring(0, job.lastIndexOf('-'));
            assertThat(stack.get("/api/batches/" + batch).body()).contains("\"generated\":1");
        }
    }

    @Test
    @Order(3)
    void twoGatewaysShareTheDatabaseEachFollowsABatchLiveAndTheSecondTakesOverProjecting() throws Exception {
        LocalStack stack = LocalStack.get();
        int second = stack.startGateway("gateway-2");
        try {
            HttpResponse<String> accepted =
                    post(second, "/api/batches", "text/plain", "--count 3 a goat on two gateways\n");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String batch = dev.meadow.contracts.Json.mapper()
                    .readTree(accepted.body())
                    .path("batchId")
                    .asText();
            // Live progress from each instance, to the end.
            for (int port : List.of(stack.gatewayPort, second)) {
                HttpResponse<java.util.stream.Stream<String>> events = HTTP.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://localhost:" + port + "/api/batches/" + batch + "/events"))
                                .timeout(Duration.ofMinutes(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertThat(events.statusCode()).isEqualTo(200);
                assertThat(events.body()
                                .filter(l -> l.startsWith("data:"))
                                .reduce((a, b) -> b)
                                .orElse(""))
                        .as("the last event on port " + port)
                        .contains("\"generated\":3")
                        .contains("\"finished\":true");
            }
            // The first gateway dies: the second takes the lock and the gallery keeps following.
            stack.kill("gateway");
            HttpResponse<String> more = post(
                    second,
                    "/api/generations",
                    "application/json",
                    "{\"prompt\": \"a goat after the first gateway died\", \"seed\": 4}");
            assertThat(more.statusCode()).as(more.body()).isEqualTo(202);
            String job = dev.meadow.contracts.Json.mapper()
                    .readTree(more.body())
                    .path("jobs")
                    .path(0)
                    .path("jobId")
                    .asText();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> get(second, "/api/images/" + job).statusCode() == 200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(second, "/q/health/ready")
                            .body()
                            .replaceAll("\\s", "")
                            .contains("\"projecting\":true"));
        } finally {
            stack.kill("gateway-2");
            stack.restart("gateway");
        }
    }

    @Test
    @Order(4)
    void aLogoutOnOneGatewayEndsTheSessionOnEveryGateway() throws Exception {
        LocalStack stack = LocalStack.get();
        int second = stack.startGateway("gateway-3");
        try {
            String session = login(stack.gatewayPort);
            String token = formToken(second, session);
            String prompt = "{\"prompt\": \"a goat by cookie\", \"seed\": 5}";
            assertThat(postWithSession(second, session, token, prompt).statusCode())
                    .as("a session opened on one gateway writes on the other")
                    .isEqualTo(202);
            HttpResponse<String> logout = HTTP.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://localhost:" + stack.gatewayPort + "/logout"))
                            .header("Cookie", "meadow_api_key=" + session)
                            .header("Origin", "http://localhost:" + stack.gatewayPort)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("csrf=" + token))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(logout.statusCode()).as(logout.body()).isEqualTo(303);
            HttpResponse<String> replayed = postWithSession(second, session, token, prompt);
            assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(401);
            assertThat(postWithSession(stack.gatewayPort, session, token, prompt)
                            .statusCode())
                    .isEqualTo(401);
        } finally {
            stack.kill("gateway-3");
        }
    }

    /** Logs in with the API key as the gallery's form does; returns the session cookie's value. */
    private static String login(int port) throws Exception {
        HttpResponse<String> response = HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("key=" + LocalStack.API_KEY))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("meadow_api_key="))
                .findFirst()
                .orElseThrow();
        return cookie.substring("meadow_api_key=".length(), cookie.indexOf(';'));
    }

    /** The session's form token, as a browser gets it: from the forms of a page. */
    private static String formToken(int port, String session) throws Exception {
        HttpResponse<String> page = HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/"))
                        .header("Cookie", "meadow_api_key=" + session)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(page.body());
        assertThat(token.find()).as("a form token on the gallery page").isTrue();
        return token.group(1);
    }

    /** A generation submitted by a page of the gateway at {@code port}, with the login cookie and its token. */
    private static HttpResponse<String> postWithSession(int port, String session, String token, String json)
            throws Exception {
        return HTTP.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://localhost:" + port + "/api/generations"))
                        .header("Content-Type", "application/json")
                        .header("Cookie", "meadow_api_key=" + session)
                        .header("Origin", "http://localhost:" + port)
                        .header("X-CSRF-Token", token)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private static HttpResponse<String> post(int port, String path, String type, String body) throws Exception {
        return HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                        .header("Content-Type", type)
                        .header("Authorization", "Bearer " + LocalStack.API_KEY)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Connection database(LocalStack stack) throws SQLException {
        return stack.devstack.connectAsOwner();
    }

    private static long imagesOf(LocalStack stack, String batchId) throws SQLException {
        try (Connection db = database(stack);
                PreparedStatement s =
                        db.prepareStatement("SELECT count(*) FROM jobs WHERE batch_id = ? AND status = 'SUCCEEDED'")) {
            s.setString(1, batchId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
