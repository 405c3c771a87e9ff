package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.meadow.devstack.DatabaseDevStackTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Slow clients: batches uploaded over seconds neither hold the producers that other submissions need, nor fail
 * for taking longer than a Kafka transaction may stay open (5 s in this profile, 2 minutes by default).
 */
@Tag("integration")
@QuarkusTest
@TestProfile(ConfiguredPagesTest.OtherSettings.class)
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class SlowUploadsTest {

    /** Lines per slow upload, one every {@link #PAUSE_MILLIS}: 8 s in all, longer than the transaction timeout. */
    private static final int LINES = 16;

    private static final long PAUSE_MILLIS = 500;

    @TestHTTPResource("/api/batches")
    URI batches;

    /** A prompts file that arrives one line at a time. */
    private static final class SlowPrompts extends InputStream {

        private final byte[] line;
        private int lines;
        private int position;

        SlowPrompts(String name) {
            this.line = ("a slow cow from " + name + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (lines == LINES) {
                return -1;
            }
            if (position == 0) {
                try {
                    Thread.sleep(PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
            }
            int n = Math.min(length, line.length - position);
            System.arraycopy(line, position, buffer, offset, n);
            position += n;
            if (position == line.length) {
                position = 0;
                lines++;
            }
            return n;
        }
    }

    @Test
    void fourSlowUploadsNeitherBlockASubmissionNorOutliveTheTransactionTimeout() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "upload " + i;
            uploads.add(client.sendAsync(
                    HttpRequest.newBuilder(batches)
                            .header("Content-Type", "text/plain")
                            .timeout(Duration.ofSeconds(60))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowPrompts(name)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(1500);
        // Held producers would make this wait for an upload to end (or answer 503): it is served in between.
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"a quick sheep\"}")
                .when()
                .post("/api/generations")
                .then()
                .statusCode(202);
        assertThat(uploads).as("the slow uploads are still being sent").noneMatch(CompletableFuture::isDone);

        for (CompletableFuture<HttpResponse<String>> upload : uploads) {
            HttpResponse<String> answer = upload.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            assertThat(answer.body()).contains("\"total\":" + LINES);
        }
    }
}
