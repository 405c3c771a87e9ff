package dev.meadow.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.meadow.devstack.DatabaseDevStackTestResource;
import dev.meadow.devstack.DevStack;
import dev.meadow.devstack.DevStackTestResource;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import dev.meadow.testing.CocoFixture;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input across every write endpoint and the read endpoints' parameters. Each answer is a 4xx
 * {@code application/problem+json} that names the problem, and nothing is stored: every bucket's object count and
 * every topic's end offsets are the same afterwards.
 */
@Tag("integration")
@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
@WithTestResource(value = DatabaseDevStackTestResource.class, scope = TestResourceScope.GLOBAL)
class BadInputCatalogueTest {

    static final String KEY = "Bearer key-one";

    @TempDir
    Path dir;

    /** One bad request, the status it must get and words its problem body must hold. */
    record Case(String name, Function<RequestSpecification, Response> send, int status, String names) {}

    private final List<Case> cases = new ArrayList<>();

    private void add(String name, int status, String names, Function<RequestSpecification, Response> send) {
        cases.add(new Case(name, send, status, names));
    }

    private static RequestSpecification keyed(RequestSpecification spec) {
        return spec.header("Authorization", KEY);
    }

    private void generation(String name, String body, String names) {
        add(
                name,
                400,
                names,
                r -> keyed(r).contentType("application/json").body(body).post("/api/generations"));
    }

    private void batch(String name, String contentType, String body, int status, String names) {
        add(
                name,
                status,
                names,
                r -> keyed(r).contentType(contentType)
                        .body(body.getBytes(StandardCharsets.UTF_8))
                        .post("/api/batches"));
    }

    private void batchBytes(String name, String contentType, byte[] body, String names) {
        add(name, 400, names, r -> keyed(r).contentType(contentType).body(body).post("/api/batches"));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private void upload(String name, int status, String names, Path archive, Map<String, String> fields) {
        upload(name, status, names, archive, null, fields);
    }

    private void upload(
            String name, int status, String names, Path archive, Path annotations, Map<String, String> fields) {
        add(name, status, names, r -> {
            RequestSpecification spec = keyed(r);
            if (archive != null) {
                spec = spec.multiPart("images", archive.toFile(), "application/zip");
            }
            if (annotations != null) {
                spec = spec.multiPart("annotations", annotations.toFile(), "application/json");
            }
            for (var field : fields.entrySet()) {
                spec = spec.multiPart(field.getKey(), field.getValue());
            }
            return spec.post("/api/datasets");
        });
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        return DatasetResourceTest.zip(dir.resolve(name), entries);
    }

    /** A zip whose entry is a symbolic link to a file outside the archive. */
    private Path symlinkZip() throws IOException {
        Path target = dir.resolve("symlink.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(target.toFile())) {
            out.putArchiveEntry(new ZipArchiveEntry("a.jpg"));
            out.write(CocoFixture.jpeg(new java.util.Random(3), true));
            out.closeArchiveEntry();
            ZipArchiveEntry link = new ZipArchiveEntry("link.jpg");
            link.setUnixMode(0120777);
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        return target;
    }

    @Test
    void everyBadRequestGetsANamedProblemAndNothingIsStored() throws Exception {
        byte[] image = CocoFixture.jpeg(new java.util.Random(2), true);
        byte[] captions = "{\"image\": \"a.jpg\", \"caption\": \"a cow\"}\n".getBytes(StandardCharsets.UTF_8);

        // POST /api/generations: malformed, truncated and mistyped bodies, out-of-range numbers, unknown fields.
        generation("truncated JSON", "{\"prompt\": \"a cow\"", "Malformed JSON");
        generation("not JSON", "prompt=a cow", "Malformed JSON");
        generation("an array", "[\"a cow\"]", "body");
        generation("prompt is a number", "{\"prompt\": 5}", "prompt must be a string");
        generation("prompt is an object", "{\"prompt\": {\"text\": \"a cow\"}}", "prompt");
        generation("blank prompt", "{\"prompt\": \"   \"}", "prompt must not be empty");
        generation("prompt too long", "{\"prompt\": \"" + "a".repeat(501) + "\"}", "the maximum is 500");
        generation("NUL in the prompt", "{\"prompt\": \"a\\u0000cow\"}", "control character (U+0000)");
        generation("count 0", "{\"prompt\": \"a cow\", \"count\": 0}", "count must be between 1 and 16");
        generation("count 17", "{\"prompt\": \"a cow\", \"count\": 17}", "count must be between 1 and 16");
        generation("count as a string", "{\"prompt\": \"a cow\", \"count\": \"3\"}", "count must be a whole number");
        generation("fractional seed", "{\"prompt\": \"a cow\", \"seed\": 1.5}", "seed");
        generation("seed beyond 64 bits", "{\"prompt\": \"a cow\", \"seed\": 18446744073709551616}", "seed");
        generation("candidates 65", "{\"prompt\": \"a cow\", \"candidates\": 65}", "candidates must be between 1");
        generation("unknown field", "{\"prompt\": \"a cow\", \"colour\": \"red\"}", "unknown field 'colour'");
        generation(
                "unknown decoder version",
                "{\"prompt\": \"a cow\", \"modelVersion\": \"cvae-nope\"}",
                "cvae-nope is not published");
        generation(
                "model id with a path",
                "{\"prompt\": \"a cow\", \"modelVersion\": \"../../etc\"}",
                "not a valid model id");
        generation(
                "towards with count",
                "{\"prompt\": \"a cow\", \"towards\": \"snow\", \"count\": 3}",
                "count and towards exclude each other");
        generation(
                "one step", "{\"prompt\": \"a cow\", \"towards\": \"snow\", \"steps\": 1}", "steps must be between 2");
        add(
                "generation as XML",
                415,
                "Unsupported Media Type",
                r -> keyed(r).contentType("application/xml")
                        .body("<prompt>a cow</prompt>")
                        .post("/api/generations"));
        add(
                "generation without a key",
                401,
                "writes need an API key",
                r -> r.contentType("application/json")
                        .body("{\"prompt\": \"a cow\"}")
                        .post("/api/generations"));
        add(
                "generation with a wrong key",
                401,
                "the API key is not valid",
                r -> r.header("Authorization", "Bearer key-three")
                        .contentType("application/json")
                        .body("{\"prompt\": \"a cow\"}")
                        .post("/api/generations"));

        // POST /api/batches in each format.
        batch("unclosed quote", "text/plain", "a cow\n--prompt \"a sheep\n", 400, "line 2: a quote is not closed");
        batch("unknown option", "text/plain", "--colour red a cow\n", 400, "unknown option --colour");
        batch(
                "count below the int range",
                "text/plain",
                "--count -4294967295 cows\n",
                400,
                "count must be between 1 and 16");
        batch("seed that is no number", "text/plain", "--seed twelve cows\n", 400, "--seed takes a whole number");
        batch("empty text batch", "text/plain", "", 400, "the batch holds no prompts");
        batch("only comments", "text/plain", "# one\n# two\n", 400, "the batch holds no prompts");
        batch(
                "line over the prompt limit",
                "text/plain",
                "a cow\n" + "b".repeat(600) + "\n",
                400,
                "line 2: prompt is 600 characters long");
        batch("control character in a line", "text/plain", "a cow\u0007\n", 400, "U+0007");
        batch("JSON that is no array", "application/json", "{\"prompt\": \"a cow\"}", 400, "must be an array");
        batch("truncated JSON array", "application/json", "[\"a cow\", \"b", 400, "item 2");
        batch("JSON item of the wrong type", "application/json", "[\"a cow\", 5]", 400, "item 2");
        batch(
                "JSON item with an unknown field",
                "application/json",
                "[{\"prompt\": \"a\", \"size\": 9}]",
                400,
                "unknown field 'size'");
        batch(
                "JSON Lines with a broken line",
                "application/x-ndjson",
                "{\"prompt\": \"a\"}\n{\"prompt\": \n",
                400,
                "line 2");
        batch(
                "JSON Lines with a mistyped version",
                "application/x-ndjson",
                "{\"prompt\": \"a\", \"modelVersion\": 7}\n",
                400,
                "modelVersion must be a string");
        batch("too many images", "text/plain", "a cow\n".repeat(20_001), 413, "more than 20000 images");
        batch("batch as XML", "application/xml", "<batch/>", 415, "Unsupported Media Type");
        byte[] utf8 = "a cow\n".getBytes(StandardCharsets.UTF_8);
        batchBytes(
                "prompts that are not UTF-8",
                "text/plain",
                concat(utf8, new byte[] {'a', (byte) 0xC3, '(', '\n'}),
                "line 2: not valid UTF-8");
        batchBytes(
                "a picture sent as prompts",
                "text/plain",
                dev.meadow.image.Png.encode(
                        new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB)),
                "line 1: not valid UTF-8");
        batchBytes(
                "JSON Lines that are not UTF-8",
                "application/x-ndjson",
                concat("\"a cow\"\n\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, '"', '\n'}),
                "line 2: not valid UTF-8");
        batch(
                "a line of 20,000 bytes",
                "text/plain",
                "a cow\n" + "b".repeat(20_000) + "\n",
                400,
                "line 2 is longer than 16384 bytes");
        batch(
                "a JSON string of 20,000 characters",
                "application/json",
                "[\"" + "b".repeat(20_000) + "\"]",
                400,
                "item 1 holds a string longer than 16384 characters");
        batchBytes(
                "a byte-order mark, then a broken line 2",
                "application/x-ndjson",
                concat(
                        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                        "\"a cow\"\n{\n".getBytes(StandardCharsets.UTF_8)),
                "line 2: not valid JSON");
        add(
                "batch seed that is no number",
                400,
                "seed must be a whole number, not 'abc'",
                r -> keyed(r).contentType("text/plain")
                        .body("a cow\n")
                        .queryParam("seed", "abc")
                        .post("/api/batches"));

        // POST /api/datasets: unsafe archives, wrong types and values.
        upload(
                "zip slip",
                400,
                "escapes the archive",
                zip("slip.zip", Map.of("../../evil.jpg", image, "captions.jsonl", captions)),
                Map.of());
        upload(
                "decompression bomb",
                413,
                "decompression bomb",
                zip("bomb.zip", Map.of("bomb.png", new byte[60 * 1024 * 1024])),
                Map.of());
        upload("symbolic link", 400, "link.jpg", symlinkZip(), Map.of());
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            many.put("img" + i + ".jpg", image);
        }
        upload(
                "too many entries",
                413,
                "the archive has more than 50 files, the limit",
                zip("many.zip", many),
                Map.of());
        Map<String, byte[]> spread = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            spread.put("img" + i + ".png", new byte[1024 * 1024]);
        }
        upload("40 entries of 1 MB of zeros", 413, "more than 100 times its size", zip("spread.zip", spread), Map.of());
        upload(
                "a 300-character entry name",
                400,
                "has a file name of 300 characters; the limit is 200",
                zip("long-name.zip", Map.of("a".repeat(296) + ".jpg", image, "captions.jsonl", captions)),
                Map.of());
        java.io.ByteArrayOutputStream bmp = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB), "bmp", bmp);
        upload(
                "a BMP named .png",
                400,
                "archive entry b.png is a BMP image; only JPEG and PNG are accepted",
                zip("bmp.zip", Map.of("a.jpg", image, "b.png", bmp.toByteArray(), "captions.jsonl", captions)),
                Map.of());
        upload(
                "captions.jsonl with a line of 20,000 bytes",
                400,
                "captions.jsonl line 1 is longer than 16384 bytes",
                zip(
                        "long-caption.zip",
                        Map.of(
                                "a.jpg",
                                image,
                                "captions.jsonl",
                                ("{\"image\": \"a.jpg\", " + "\"caption\": \"" + "a".repeat(20_000) + "\"}\n")
                                        .getBytes(StandardCharsets.UTF_8))),
                Map.of());
        upload(
                "captions.jsonl that is not UTF-8",
                400,
                "captions.jsonl line 1 is not valid UTF-8",
                zip(
                        "latin1.zip",
                        Map.of(
                                "a.jpg",
                                image,
                                "captions.jsonl",
                                "{\"image\": \"a.jpg\", \"caption\": \"a caf\u00e9\"}\n"
                                        .getBytes(StandardCharsets.ISO_8859_1))),
                Map.of());
        upload(
                "not a zip",
                400,
                "not a readable zip archive",
                Files.writeString(dir.resolve("x.zip"), "text"),
                Map.of());
        upload("no images part", 400, "field 'images'", null, Map.of("name", "nothing"));
        Path good = zip("good.zip", Map.of("a.jpg", image, "captions.jsonl", captions));
        upload("unknown preset", 400, "unknown preset 'huge-512'", good, Map.of("preset", "huge-512"));
        upload("epochs 0", 400, "epochs must be between 1 and", good, Map.of("epochs", "0"));
        upload("epochs beyond the limit", 400, "epochs must be between 1 and", good, Map.of("epochs", "100000"));
        upload("unknown conditioning", 400, "conditioning", good, Map.of("conditioning", "telepathy"));
        upload(
                "epochs that is no number",
                400,
                "epochs must be a whole number, not 'abc'",
                good,
                Map.of("epochs", "abc"));
        upload("batch size 1", 400, "batchSize is 1; it must be between 2 and 4096", good, Map.of("batchSize", "1"));
        upload(
                "learning rate that is no number",
                400,
                "learningRate must be a number, not 'fast'",
                good,
                Map.of("learningRate", "fast"));
        upload(
                "activate that is no boolean",
                400,
                "activate must be true or false, not 'maybe'",
                good,
                Map.of("activate", "maybe"));
        StringBuilder keywords = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            keywords.append("word").append(i).append(',');
        }
        upload(
                "10,000 keywords",
                400,
                "keywords: at most 200 words, not 10000",
                good,
                Map.of("keywords", keywords.toString()));
        Path bigAnnotations = Files.writeString(
                dir.resolve("big.json"),
                "{\"images\": [], \"annotations\": [], " + "\"info\": \"" + "x".repeat(150_000) + "\"}");
        Path imagesOnly = zip("images-only.zip", Map.of("a.jpg", image));
        upload("annotations over the limit", 413, "the annotations are 150", imagesOnly, bigAnnotations, Map.of());
        Path notJson = Files.writeString(dir.resolve("not.json"), "images: none");
        upload(
                "annotations that are not JSON",
                400,
                "the annotations are not valid JSON",
                imagesOnly,
                notJson,
                Map.of());
        upload("annotations and a captions.jsonl", 400, "send one of them", good, notJson, Map.of());
        add(
                "dataset as JSON",
                415,
                "Unsupported Media Type",
                r -> keyed(r).contentType("application/json").body("{}").post("/api/datasets"));
        add(
                "dataset without a key",
                401,
                "writes need an API key",
                r -> r.multiPart("images", good.toFile(), "application/zip").post("/api/datasets"));

        // Model activation and cancellation.
        add(
                "activate an unknown kind",
                404,
                "unknown model kind 'unicorn'",
                r -> keyed(r).post("/api/models/unicorn/m-1/activate"));
        add(
                "activate an unknown model",
                404,
                "no cvae model cvae-nope is published",
                r -> keyed(r).post("/api/models/cvae/cvae-nope/activate"));
        add("activate without a key", 401, "writes need an API key", r -> r.post("/api/models/cvae/m-1/activate"));
        add(
                "cancel an unknown batch",
                404,
                "no batch no-such-batch",
                r -> keyed(r).delete("/api/batches/no-such-batch"));
        add("cancel without a key", 401, "writes need an API key", r -> r.delete("/api/batches/whatever"));
        sessionCases();

        // Read parameters.
        add(
                "a page number",
                400,
                "pages are read from cursors",
                r -> r.queryParam("page", 2).get("/api/images"));
        add(
                "a cursor that is not one",
                400,
                "after must be a cursor",
                r -> r.queryParam("after", "abc").get("/api/images"));
        add(
                "after and before",
                400,
                "not both",
                r -> r.queryParam("after", "MTAwOmE")
                        .queryParam("before", "MTAwOmE")
                        .get("/api/images"));
        add(
                "a seed that is not a number",
                400,
                "seed must be a whole number",
                r -> r.queryParam("seed", "x").get("/api/images"));
        add(
                "a date that is not one",
                400,
                "from must be a date",
                r -> r.queryParam("from", "yesterday").get("/api/images"));
        add(
                "a control character in a search",
                400,
                "q must not contain control characters",
                r -> r.queryParam("q", "cow\u0000").get("/api/images"));
        add(
                "a date PostgreSQL cannot hold",
                400,
                "from must be between the years 1 and 9999",
                r -> r.queryParam("from", "+20000-01-01T00:00:00Z").get("/api/images"));
        add("a NUL in an image id", 404, "no image", r -> r.get("/api/images/a%00b"));
        add(
                "to before from",
                400,
                "to must be later than from",
                r -> r.queryParam("from", "2026-11-29")
                        .queryParam("to", "2026-11-28")
                        .get("/api/images"));
        add(
                "page size 0",
                400,
                "size must be between 1",
                r -> r.queryParam("size", 0).get("/api/images"));
        add(
                "page size 10,000",
                400,
                "size must be between 1",
                r -> r.queryParam("size", 10_000).get("/api/images"));
        add(
                "limit that is no number",
                400,
                "limit must be a whole number, not 'abc'",
                r -> r.queryParam("limit", "abc").get("/api/batches"));
        add(
                "limit 0",
                400,
                "limit must be between 1 and 500",
                r -> r.queryParam("limit", 0).get("/api/batches"));
        add("unknown image", 404, "no image img-nope", r -> r.get("/api/images/img-nope"));
        add("unknown experiment", 404, "no experiment 'exp-nope'", r -> r.get("/api/experiments/exp-nope"));

        Map<String, Long> offsetsBefore = endOffsets();
        Map<Bucket, Integer> objectsBefore = objectCounts();
        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            Response answer = c.send().apply(given().redirects().follow(false));
            String body = answer.asString();
            String contentType = answer.contentType();
            if (answer.statusCode() != c.status()) {
                wrong.add(
                        c.name() + ": status " + answer.statusCode() + " instead of " + c.status() + " (" + body + ")");
            } else if (contentType == null || !contentType.startsWith("application/problem+json")) {
                wrong.add(c.name() + ": content type " + contentType);
            } else if (!problemText(body).contains(c.names())) {
                wrong.add(c.name() + ": the problem does not say '" + c.names() + "': " + body);
            }
        }
        assertThat(wrong).as(wrong.size() + " of " + cases.size() + " cases").isEmpty();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(objectCounts()).as("objects in each bucket").isEqualTo(objectsBefore);
        assertThat(endOffsets()).as("end offsets of every topic").isEqualTo(offsetsBefore);
    }

    /** Writes that rest on the login cookie: from the gallery's own pages, with the session's token, while it lives. */
    private void sessionCases() {
        String session = login();
        String origin = "http://localhost:" + io.restassured.RestAssured.port;
        String token = dev.meadow.gateway.service.Sessions.formToken(session);
        add(
                "a form without the session's token",
                403,
                "form token",
                r -> r.cookie("meadow_api_key", session)
                        .header("Origin", origin)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("prompts", "a cow")
                        .post("/batches"));
        add(
                "a form from another site",
                403,
                "own pages",
                r -> r.cookie("meadow_api_key", session)
                        .header("Origin", "http://evil.example")
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", token)
                        .post("/images/img-000001/more"));
        add(
                "a form from another port of the same host",
                403,
                "own pages",
                r -> r.cookie("meadow_api_key", session)
                        .header("Origin", "http://localhost:1")
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", token)
                        .post("/batches/b-1/cancel"));
        add(
                "a cookie write with neither Origin nor Referer",
                403,
                "own pages",
                r -> r.cookie("meadow_api_key", session)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("csrf", token)
                        .post("/models/cvae/m-1/activate"));
        add(
                "a cookie write to the API as a plain form could send it",
                403,
                "X-CSRF-Token",
                r -> r.cookie("meadow_api_key", session)
                        .header("Origin", origin)
                        .contentType("text/plain")
                        .body("a cow\n")
                        .post("/api/batches"));
        String ended = login();
        given().cookie("meadow_api_key", ended)
                .header("Origin", origin)
                .contentType("application/x-www-form-urlencoded")
                .formParam("csrf", dev.meadow.gateway.service.Sessions.formToken(ended))
                .redirects()
                .follow(false)
                .post("/logout")
                .then()
                .statusCode(303);
        add(
                "a session replayed after its logout",
                401,
                "log in again",
                r -> r.cookie("meadow_api_key", ended)
                        .header("Origin", origin)
                        .header("X-CSRF-Token", dev.meadow.gateway.service.Sessions.formToken(ended))
                        .contentType("application/json")
                        .body("{\"prompt\": \"a cow\"}")
                        .post("/api/generations"));
        add(
                "a session that never was",
                401,
                "log in again",
                r -> r.cookie("meadow_api_key", "made-up-session")
                        .header("Origin", origin)
                        .header("X-CSRF-Token", dev.meadow.gateway.service.Sessions.formToken("made-up-session"))
                        .delete("/api/batches/whatever"));
    }

    private static String login() {
        return given().redirects()
                .follow(false)
                .contentType("application/x-www-form-urlencoded")
                .formParam("key", "key-one")
                .post("/login")
                .then()
                .statusCode(303)
                .extract()
                .cookie("meadow_api_key");
    }

    private static String problemText(String body) {
        JsonPath json = JsonPath.from(body);
        StringBuilder text = new StringBuilder();
        text.append(json.getString("title")).append(' ').append(json.getString("detail"));
        List<Map<String, String>> errors = json.getList("errors");
        if (errors != null) {
            errors.forEach(
                    e -> text.append(' ').append(e.get("field")).append(": ").append(e.get("message")));
        }
        return text.toString();
    }

    private static Map<Bucket, Integer> objectCounts() {
        DevStack stack = DevStackTestResource.stack();
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(
                stack.objectStoreEndpoint(), stack.accessKey(), stack.secretKey(), "us-east-1", "meadow-"))) {
            store.ensureBuckets();
            Map<Bucket, Integer> counts = new HashMap<>();
            for (Bucket bucket : Bucket.values()) {
                counts.put(bucket, store.list(bucket, "").size());
            }
            return counts;
        }
    }

    private static Map<String, Long> endOffsets() throws Exception {
        Map<String, Object> kafka = DevStackTestResource.stack().kafkaAdmin();
        try (Admin admin = Admin.create(kafka);
                KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(kafka, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // The broker's own bookkeeping (__consumer_offsets, __transaction_state) is not Meadow's data.
            Set<String> topics = admin.listTopics().names().get().stream()
                    .filter(t -> !t.startsWith("__"))
                    .collect(Collectors.toSet());
            List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                    .toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(20)).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
        }
    }
}
