package dev.meadow.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.meadow.devstack.EmbeddedObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class ObjectStoreTest {

    @TempDir
    static Path data;

    private static EmbeddedObjectStore server;
    private static ObjectStore store;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedObjectStore.start(data.resolve("s3"), 0, "test-access", "test-secret-123");
        store = new ObjectStore(new ObjectStoreSettings(
                server.endpoint().toString(), "test-access", "test-secret-123", "us-east-1", "t-"));
        store.ensureBuckets();
        store.ensureBuckets(); // idempotent
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        server.close();
    }

    @Test
    void putGetExistsAndOverwrite() {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        store.put(Bucket.IMAGES, "j1.png", first, "image/png", Map.of("prompt", "a cow"));
        assertThat(store.exists(Bucket.IMAGES, "j1.png")).isTrue();
        assertThat(store.get(Bucket.IMAGES, "j1.png")).isEqualTo(first);

        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        store.put(Bucket.IMAGES, "j1.png", second, "image/png");
        assertThat(store.get(Bucket.IMAGES, "j1.png")).isEqualTo(second);
        assertThat(store.list(Bucket.IMAGES, "j1")).hasSize(1);
    }

    @Test
    void missingObjectsAreReportedAsSuch() {
        assertThat(store.exists(Bucket.IMAGES, "nope.png")).isFalse();
        assertThatThrownBy(() -> store.get(Bucket.IMAGES, "nope.png"))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("nope.png");
    }

    @Test
    void listsRecursivelyUnderAPrefixInKeyOrder() {
        for (String key : new String[] {"s1/images/b.png", "s1/images/a.png", "s1/manifest.json", "s2/x"}) {
            store.put(Bucket.DATASETS, key, key.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        }
        assertThat(store.list(Bucket.DATASETS, "s1/"))
                .extracting(StoredObject::key)
                .containsExactly("s1/images/a.png", "s1/images/b.png", "s1/manifest.json");
        assertThat(store.list(Bucket.DATASETS, "s1/").get(0).size()).isEqualTo("s1/images/a.png".length());
    }

    @Test
    void presignedUrlsAreSignedForThePublicAddressWhereOneIsSet() throws Exception {
        byte[] body = "public pixels".getBytes(StandardCharsets.UTF_8);
        store.put(Bucket.IMAGES, "public.png", body, "image/png");
        // The same server under another name, as a browser outside the compose network would reach it.
        String internal = server.endpoint().toString();
        String external = internal.replace("127.0.0.1", "localhost");
        assertThat(external).isNotEqualTo(internal);
        try (ObjectStore publicStore = new ObjectStore(
                new ObjectStoreSettings(internal, "test-access", "test-secret-123", "us-east-1", "t-", external))) {
            String url = publicStore.presignedGet(Bucket.IMAGES, "public.png", Duration.ofMinutes(5));
            assertThat(url).startsWith(external.endsWith("/") ? external : external + "/");
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @Test
    void presignedUrlsServeTheObjectWithoutCredentials() throws Exception {
        byte[] body = "pixels".getBytes(StandardCharsets.UTF_8);
        store.put(Bucket.IMAGES, "presigned.png", body, "image/png");
        String url = store.presignedGet(Bucket.IMAGES, "presigned.png", Duration.ofMinutes(5));
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);

        HttpResponse<byte[]> unsigned = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url.substring(0, url.indexOf('?'))))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(unsigned.statusCode()).isEqualTo(403);
    }

    @Test
    void directoriesRoundTripAndLargeFilesGoMultipart(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("src");
        Files.createDirectories(source.resolve("variables"));
        Files.writeString(source.resolve("model.json"), "{}");
        byte[] big = new byte[20 * 1024 * 1024 + 17];
        new java.util.Random(1).nextBytes(big);
        Files.write(source.resolve("variables/variables.data"), big);

        store.uploadDirectory(source, Bucket.MODELS, "cvae/v1/");
        Path target = dir.resolve("dst");
        store.downloadDirectory(Bucket.MODELS, "cvae/v1/", target);
        assertThat(Files.readString(target.resolve("model.json"))).isEqualTo("{}");
        assertThat(Files.readAllBytes(target.resolve("variables/variables.data")))
                .isEqualTo(big);
    }

    @Test
    void anUnreachableStoreFailsWithAClearMessage() {
        try (ObjectStore offline =
                new ObjectStore(new ObjectStoreSettings("http://127.0.0.1:9", "a", "b", "us-east-1", "t-"))) {
            assertThat(offline.isReachable(Bucket.IMAGES)).isFalse();
            assertThatThrownBy(() -> offline.get(Bucket.IMAGES, "x"))
                    .isInstanceOf(ObjectStoreException.class)
                    .hasMessageStartingWith("get t-images/x failed");
        }
    }
}
