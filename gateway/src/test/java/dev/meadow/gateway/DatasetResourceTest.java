package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.Topics;
import dev.meadow.dataset.Snapshot;
import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.CocoFixture;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@QuarkusTest
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
public class DatasetResourceTest {

    /** The real COCO images and captions beside the project. */
    static final Path COCO =
            Path.of("../../shared/datasets/coco-mini").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static ObjectStore store() {
        DevStack stack = DevStackTestResource.stack();
        return new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"));
    }

    public static Path zip(Path target, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    static Path zipDirectory(Path target, Path images) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target));
                var files = Files.list(images)) {
            for (Path file : files.sorted().toList()) {
                out.putNextEntry(new ZipEntry("train2017/" + file.getFileName()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return target;
    }

    /** A small JPEG made here (the name is historical: uploads take JPEG and PNG). */
    static byte[] png() {
        return CocoFixture.jpeg(new java.util.Random(1), true);
    }

    @Test
    void cocoCaptionsMadeHereWithAWholeWordFilterBecomeAQueuedSnapshot() throws Exception {
        CocoFixture.Written coco = CocoFixture.write(dir.resolve("fixture"), 20);
        Path archive = zipDirectory(dir.resolve("fixture.zip"), coco.images());
        String snapshotId = given().multiPart("images", archive.toFile(), "application/zip")
                .multiPart("annotations", coco.annotations().toFile(), "application/json")
                .multiPart("name", "fixture pastoral")
                .multiPart("keywords", "cow, sheep, grass, field, hill, mountain, snow, sky")
                .multiPart("epochs", "3")
                .multiPart("batchSize", "4")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .body("source", equalTo("coco"))
                .body("images", equalTo(coco.pastoralImages()))
                .extract()
                .path("snapshotId");
        Path local = dir.resolve("fixture-stored");
        try (ObjectStore store = store()) {
            store.downloadDirectory(Bucket.DATASETS, store.layout().snapshotPrefix(snapshotId), local);
        }
        Snapshot snapshot = Snapshot.read(local);
        assertThat(snapshot.size()).isEqualTo(coco.pastoralImages());
        assertThat(snapshot.captionsByImage().values())
                .flatExtracting(c -> c)
                .contains("there's a cow on the farmer's field")
                .noneMatch(c -> CocoFixture.CITY.contains(c));
        assertThat(snapshot.manifest().images().get(0).attributes()).containsEntry("license", "CC BY 4.0");
    }

    @Test
    void theAnswerSaysWhatWasKeptAndWhatWasDroppedAndWhy() throws Exception {
        CocoFixture.Written coco = CocoFixture.write(dir.resolve("dropped"), 20);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var files = Files.list(coco.images())) {
            // A second annotated image is left out of the archive (the fixture writes all but one); an unannotated
            // picture and the usual litter go in.
            for (Path file : files.sorted().skip(1).toList()) {
                entries.put("photos\\" + file.getFileName(), Files.readAllBytes(file));
            }
        }
        entries.put("photos\\stray.jpg", png());
        entries.put("photos\\Thumbs.db", new byte[] {1, 2, 3});
        entries.put("__MACOSX/photos/._stray.jpg", new byte[] {0, 5});
        Path archive = zip(dir.resolve("dropped.zip"), entries);
        var answer = given().multiPart("images", archive.toFile(), "application/zip")
                .multiPart("annotations", coco.annotations().toFile(), "application/json")
                .multiPart("keywords", "cow, sheep, grass, field, hill, mountain, snow, sky")
                .multiPart("batchSize", "4")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        Map<String, Integer> counts = new java.util.HashMap<>();
        List<Map<String, Object>> dropped = answer.getList("dropped");
        dropped.forEach(d -> counts.put((String) d.get("reason"), (Integer) d.get("count")));
        assertThat(counts)
                .containsEntry("listed in the annotations but not in the archive", 2)
                .containsEntry("in the archive but not in the annotations", 1)
                .containsEntry("archive litter (Thumbs.db, .DS_Store, __MACOSX and the like), ignored", 2)
                .hasSize(4);
        int filteredOut = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("no caption has"))
                .mapToInt(Map.Entry::getValue)
                .sum();
        assertThat(filteredOut)
                .as("images without a caption that has a keyword")
                .isPositive();
        assertThat(answer.getInt("images") + filteredOut + 2)
                .as("kept + filtered out + missing")
                .isEqualTo(20);
        assertThat(dropped)
                .filteredOn(d -> d.get("reason").equals("listed in the annotations but not in the archive"))
                .first()
                .satisfies(d -> assertThat(d.get("examples").toString()).contains(coco.missingFile()));
        assertThat(dropped)
                .filteredOn(d -> d.get("reason").equals("in the archive but not in the annotations"))
                .first()
                .satisfies(d -> assertThat(d.get("examples")).isEqualTo(List.of("stray.jpg")));
    }

    @Test
    void queuedTrainingCanBeCancelledOnce() throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        StringBuilder captions = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            entries.put("c" + i + ".jpg", CocoFixture.jpeg(new java.util.Random(40 + i), true));
            captions.append("{\"image\": \"c").append(i).append(".jpg\", \"caption\": \"a cow\"}\n");
        }
        entries.put("captions.jsonl", captions.toString().getBytes(StandardCharsets.UTF_8));
        String snapshotId = given().multiPart(
                        "images", zip(dir.resolve("cancel.zip"), entries).toFile(), "application/zip")
                .multiPart("batchSize", "4")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .extract()
                .path("snapshotId");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> given().when().get("/api/datasets").then().body("snapshotId", hasItem(snapshotId)));

        given().when()
                .delete("/api/datasets/" + snapshotId)
                .then()
                .statusCode(200)
                .body("snapshotId", equalTo(snapshotId))
                .body("state", equalTo("cancelled"));
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            var events = inspector
                    .await(
                            Topics.TRAINING_EVENTS.name(),
                            r -> r.stream().anyMatch(x -> x.key().equals("run-" + snapshotId)),
                            Duration.ofSeconds(20))
                    .stream()
                    .filter(x -> x.key().equals("run-" + snapshotId))
                    .map(x -> Topics.TRAINING_EVENTS.decode(x.value()))
                    .toList();
            assertThat(events)
                    .singleElement()
                    .satisfies(e -> assertThat(e.type()).isEqualTo(dev.meadow.contracts.TrainingEvent.Type.CANCELLED));
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/datasets")
                        .then()
                        .body("find { it.snapshotId == '" + snapshotId + "' }.state", equalTo("cancelled")));
        given().when()
                .delete("/api/datasets/" + snapshotId)
                .then()
                .statusCode(409)
                .body("detail", equalTo("the training of " + snapshotId + " has already ended (cancelled)"));
        given().when()
                .delete("/api/datasets/ds-nope")
                .then()
                .statusCode(404)
                .body("detail", equalTo("no dataset ds-nope"));
        assertThat(given().when()
                        .get("/datasets")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .doesNotContain("action=\"/datasets/" + snapshotId + "/cancel\"");
    }

    @Test
    void captionsJsonlMayNameImagesByTheirPathInTheArchive() throws Exception {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        StringBuilder captions = new StringBuilder("\uFEFF");
        for (int i = 0; i < 8; i++) {
            entries.put("pics/img" + i + ".jpg", CocoFixture.jpeg(new java.util.Random(i), true));
            captions.append("{\"image\": \"pics/img").append(i).append(".jpg\", \"caption\": \"a cow\"}\n");
        }
        entries.put("data/captions.jsonl", captions.toString().getBytes(StandardCharsets.UTF_8));
        given().multiPart("images", zip(dir.resolve("nested.zip"), entries).toFile(), "application/zip")
                .multiPart("batchSize", "4")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .body("images", equalTo(8))
                .body("captions", equalTo(8));
    }

    @Test
    void realCocoCaptionsWithAWholeWordFilterBecomeAQueuedSnapshot() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(COCO), "the real COCO sample is not beside the project: " + COCO);
        Path archive = zipDirectory(dir.resolve("coco.zip"), COCO.resolve("train2017"));
        String snapshotId = given().multiPart("images", archive.toFile(), "application/zip")
                .multiPart(
                        "annotations",
                        COCO.resolve("annotations/captions_train2017.json").toFile(),
                        "application/json")
                .multiPart("name", "coco pastoral")
                .multiPart("keywords", "cow, sheep, grass, field, hill, mountain, snow, sky")
                .multiPart("preset", "small-64")
                .multiPart("conditioning", "image")
                .multiPart("epochs", "5")
                .multiPart("batchSize", "8")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .body("source", equalTo("coco"))
                .body("state", equalTo("queued"))
                .extract()
                .path("snapshotId");

        DatasetSnapshot record;
        try (TopicInspector inspector =
                new TopicInspector(DevStackTestResource.stack().kafkaAdmin())) {
            record = inspector
                    .await(
                            Topics.DATASET_SNAPSHOTS.name(),
                            r -> r.stream().anyMatch(x -> x.key().equals(snapshotId)),
                            Duration.ofSeconds(20))
                    .stream()
                    .filter(x -> x.key().equals(snapshotId))
                    .map(x -> Topics.DATASET_SNAPSHOTS.decode(x.value()))
                    .findFirst()
                    .orElseThrow();
        }
        assertThat(record.training().epochs()).isEqualTo(5);
        assertThat(record.imageCount()).isBetween(15, 79);

        Path local = dir.resolve("stored");
        try (ObjectStore store = store()) {
            store.downloadDirectory(Bucket.DATASETS, store.layout().snapshotPrefix(snapshotId), local);
        }
        Snapshot snapshot = Snapshot.read(local);
        assertThat(snapshot.size()).isEqualTo(record.imageCount());
        for (List<String> captions : snapshot.captionsByImage().values()) {
            assertThat(captions)
                    .anySatisfy(c -> assertThat(c.toLowerCase())
                            .containsPattern("\\b(cows?|sheep|grass|fields?|hills?|mountains?|snow|sky)\\b"));
        }
        assertThat(snapshot.manifest().images().get(0).attributes()).containsKeys("cocoId", "license");

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().when()
                        .get("/api/datasets")
                        .then()
                        .statusCode(200)
                        .body("snapshotId", hasItem(snapshotId)));
    }

    @Test
    void captionsJsonlUploadsWork() throws Exception {
        byte[] image = png();
        StringBuilder captions = new StringBuilder();
        java.util.LinkedHashMap<String, byte[]> entries = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 12; i++) {
            entries.put("pics/img" + i + ".jpg", image);
            captions.append("{\"image\": \"img")
                    .append(i)
                    .append(".jpg\", \"caption\": \"a cow on a hill ")
                    .append(i)
                    .append("\"}\n");
        }
        entries.put("captions.jsonl", captions.toString().getBytes(StandardCharsets.UTF_8));
        given().multiPart("images", zip(dir.resolve("c.zip"), entries).toFile(), "application/zip")
                .multiPart("batchSize", "4")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(202)
                .body("images", equalTo(12))
                .body("source", equalTo("captions-jsonl"));
    }

    @Test
    void unsafeOrInvalidUploadsAreRefusedAndNothingIsStored() throws Exception {
        long before;
        try (ObjectStore store = store()) {
            store.ensureBuckets();
            before = store.list(Bucket.DATASETS, "").size();
        }
        byte[] image = png();
        refuse(Map.of("../../evil.jpg", image, "captions.jsonl", "{}".getBytes()), 400, "escapes the archive");
        refuse(Map.of("a.jpg", image, "notes.txt", "hello".getBytes()), 400, "archive entry notes.txt is not an image");
        refuse(Map.of("a.jpg", image, "inner.zip", new byte[] {1, 2}), 400, "nested archives are not accepted");
        refuse(
                Map.of("a.jpg", "not really a picture".getBytes(), "captions.jsonl", "".getBytes()),
                400,
                "archive entry a.jpg is not a readable image");
        refuse(
                Map.of("a.jpg", image, "captions.jsonl", "{\"image\": \"b.jpg\", \"caption\": \"cow\"}\n".getBytes()),
                400,
                "captions.jsonl line 1 names image b.jpg, which is not in the archive");
        refuse(Map.of("bomb.png", new byte[60 * 1024 * 1024]), 413, "a decompression bomb?");
        given().multiPart(
                        "images",
                        zip(dir.resolve("p.zip"), Map.of("a.jpg", image)).toFile(),
                        "application/zip")
                .multiPart("preset", "huge-512")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(400)
                .body("detail", startsWith("unknown preset 'huge-512'"));
        Path notZip = Files.writeString(dir.resolve("x.zip"), "plain text");
        given().multiPart("images", notZip.toFile(), "application/zip")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(400)
                .body("detail", startsWith("the upload is not a readable zip archive"));
        try (ObjectStore store = store()) {
            assertThat(store.list(Bucket.DATASETS, "")).hasSize((int) before);
        }
    }

    private void refuse(Map<String, byte[]> entries, int status, String detail) throws IOException {
        Path archive = zip(Files.createTempFile(dir, "upload", ".zip"), entries);
        given().multiPart("images", archive.toFile(), "application/zip")
                .when()
                .post("/api/datasets")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString(detail));
    }
}
