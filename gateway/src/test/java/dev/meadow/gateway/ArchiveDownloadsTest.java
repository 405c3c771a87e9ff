package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Batch downloads against clients that misbehave: connections that never read cannot hold the archive slots for
 * longer than the write timeout (3 s in tests), and a client that goes away stops the object-store reads.
 */
@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class ArchiveDownloadsTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    /** A batch of {@code size} pictures of 256 KB each (one object, named by every result). */
    private static void batchOfLargePictures(String batchId, int size) throws Exception {
        DevStack stack = DevStackTestResource.stack();
        byte[] picture = new byte[256 * 1024];
        new Random(7).nextBytes(picture);
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                        stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
                TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            store.ensureBuckets();
            store.put(Bucket.IMAGES, batchId + ".bin", picture, "image/png");
            for (int i = 0; i < size; i++) {
                GenerationRequest request = GenerationRequest.of(
                        String.format("%s-%06d", batchId, i), batchId, i, "a heavy cow " + i, i, null, AT);
                Results.send(
                        writer,
                        GenerationResult.succeeded(
                                request,
                                batchId + ".bin",
                                64,
                                64,
                                "m-zip",
                                "clip-1",
                                new GenerationResult.Timings(1, 2, 3),
                                AT.plusMillis(i)),
                        size);
            }
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> given().when()
                        .get("/api/batches/" + batchId)
                        .then()
                        .extract()
                        .asString()
                        .contains("\"generated\":" + size));
    }

    /** Asks for the batch's ZIP on a socket whose owner reads nothing (a receive window of a few KB). */
    private static Socket stalledDownload(String batchId) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/batches/" + batchId + "/images.zip HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void connectionsThatNeverReadAreCutOffAndFreeTheirSlots() throws Exception {
        batchOfLargePictures("zipstall", 40);
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                stalled.add(stalledDownload("zipstall"));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> given().when()
                                    .get("/api/batches/zipstall/images.zip")
                                    .statusCode()
                            == 503);
            // Within the write timeout and the watchdog's second, the slots are free again, for a whole archive.
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> given().when()
                                    .get("/api/batches/zipstall/images.zip")
                                    .statusCode()
                            == 200);
            byte[] zip = given().when()
                    .get("/api/batches/zipstall/images.zip")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asByteArray();
            assertThat(entries(zip)).hasSize(41).contains("zipstall-000000.png", "manifest.jsonl");
            for (Socket socket : stalled) {
                socket.setSoTimeout(15_000);
                assertThat(drainedToTheEnd(socket.getInputStream()))
                        .as("a stalled download is cut off")
                        .isTrue();
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void aDownloadWhoseClientGoesAwayStopsReadingTheStore() throws Exception {
        batchOfLargePictures("zipgone", 400);
        double before = objectsRead();
        try (Socket socket = stalledDownload("zipgone")) {
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(64 * 1024);
            assertThat(first).hasSizeGreaterThan(1000);
        }
        // Reads stop soon after the client goes: what is in flight, not the remaining 100 MB.
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(1))
                .until(new java.util.concurrent.Callable<>() {
                    double last = -1;

                    @Override
                    public Boolean call() throws Exception {
                        double now = objectsRead();
                        boolean settled = now == last;
                        last = now;
                        return settled;
                    }
                });
        assertThat(objectsRead() - before)
                .as("objects read for the abandoned download")
                .isLessThan(120);
    }

    private static double objectsRead() {
        String metrics = given().when().get("/q/metrics").then().extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith("meadow_gateway_archive_objects_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    /** Reads a cut-off connection to its end; false if it stays open. */
    private static boolean drainedToTheEnd(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) >= 0) {
                // What the server had sent before it cut the connection.
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
