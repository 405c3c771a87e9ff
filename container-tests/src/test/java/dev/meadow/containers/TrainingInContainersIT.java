package dev.meadow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.testing.CocoFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Training in containers: a dataset uploaded through the gateway is embedded, trained, published and activated; the
 * trainer container is killed mid-run and started again and resumes from its checkpoint on its volume; the
 * generator containers then draw with the new decoder.
 */
@Testcontainers(disabledWithoutDocker = true)
class TrainingInContainersIT {

    private static final int EPOCHS = 30;

    @TempDir
    Path dir;

    @Test
    void anUploadedDatasetIsTrainedResumedAfterAKillAndDrawnWith() throws Exception {
        ComposeStack stack = ComposeStack.get();
        stack.awaitHealthy(Duration.ofMinutes(3));
        String snapshotId = upload(stack);

        events(
                stack,
                snapshotId,
                e -> e.stream().anyMatch(x -> x.type() == TrainingEvent.Type.EPOCH && x.epoch() >= 2));
        String trainer = stack.containerId("trainer", 1);
        stack.kill(trainer);
        stack.start(trainer);

        List<TrainingEvent> events = events(
                stack,
                snapshotId,
                e -> e.stream()
                        .anyMatch(
                                x -> x.type() == TrainingEvent.Type.FINISHED || x.type() == TrainingEvent.Type.FAILED));
        stack.saveLogs("training");
        assertThat(events)
                .extracting(TrainingEvent::type)
                .contains(TrainingEvent.Type.STARTED, TrainingEvent.Type.RESUMED, TrainingEvent.Type.FINISHED);
        TrainingEvent resumed = events.stream()
                .filter(e -> e.type() == TrainingEvent.Type.RESUMED)
                .findFirst()
                .orElseThrow();
        assertThat(resumed.epoch()).as("resumed after the checkpointed epochs").isGreaterThan(1);
        Set<Integer> epochs = events.stream()
                .filter(e -> e.type() == TrainingEvent.Type.EPOCH)
                .map(TrainingEvent::epoch)
                .collect(Collectors.toSet());
        assertThat(epochs).hasSize(EPOCHS);
        String modelId = events.stream()
                .filter(e -> e.type() == TrainingEvent.Type.FINISHED)
                .findFirst()
                .orElseThrow()
                .modelVersion();

        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            inspector.await(
                    Topics.MODELS.name(),
                    r -> r.stream()
                            .map(x -> Topics.MODELS.decode(x.value()))
                            .anyMatch(m ->
                                    m instanceof ModelActivated && m.modelId().equals(modelId)),
                    Duration.ofMinutes(1));
        }
        Set<String> generators = stack.containers("generator").stream()
                .map(c -> stack.hostName(c.getId()))
                .collect(Collectors.toSet());
        assertThat(drawnWith(stack, modelId, generators))
                .as("generators that drew with the new decoder")
                .containsExactlyInAnyOrderElementsOf(generators);

        // The next `up` seeds again: the shipped decoder is announced, but the trained one stays active.
        assertThat(stack.runToCompletion(stack.containerId("seed-models", 1), Duration.ofMinutes(3)))
                .as("seed-models exit code")
                .isZero();
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            List<ModelActivated> decoderActivations = inspector.readAll(Topics.MODELS.name()).stream()
                    .map(r -> Topics.MODELS.decode(r.value()))
                    .filter(ModelActivated.class::isInstance)
                    .map(ModelActivated.class::cast)
                    .filter(m -> m.kind() == ModelKind.CVAE)
                    .toList();
            assertThat(decoderActivations.get(decoderActivations.size() - 1).modelId())
                    .as("active decoder after seeding again")
                    .isEqualTo(modelId);
        }
    }

    /** Uploads a small COCO-style dataset made here, to be trained with the tiny preset and activated. */
    private String upload(ComposeStack stack) throws Exception {
        CocoFixture.Written coco = CocoFixture.write(dir.resolve("coco"), 48);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip);
                var files = Files.list(coco.images())) {
            for (Path file : files.sorted().toList()) {
                out.putNextEntry(new ZipEntry("train2017/" + file.getFileName()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "containers training");
        fields.put("preset", "tiny-32");
        fields.put("conditioning", "image");
        fields.put("epochs", String.valueOf(EPOCHS));
        fields.put("batchSize", "4");
        fields.put("seed", "7");
        fields.put("activate", "true");
        Multipart form = new Multipart()
                .file("images", "coco.zip", "application/zip", zip.toByteArray())
                .file("annotations", "captions.json", "application/json", Files.readAllBytes(coco.annotations()));
        fields.forEach(form::field);
        HttpResponse<String> response = stack.http()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.gatewayPort + "/api/datasets"))
                                .header("Authorization", "Bearer " + ComposeStack.API_KEY)
                                .header("Content-Type", form.contentType())
                                .timeout(Duration.ofMinutes(2))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Json.mapper().readTree(response.body()).get("snapshotId").asText();
    }

    private static List<TrainingEvent> events(
            ComposeStack stack, String snapshotId, Predicate<List<TrainingEvent>> until) {
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> records = inspector.await(
                    Topics.TRAINING_EVENTS.name(), r -> until.test(ofSnapshot(r, snapshotId)), Duration.ofMinutes(8));
            return ofSnapshot(records, snapshotId);
        }
    }

    private static List<TrainingEvent> ofSnapshot(List<ConsumerRecord<String, byte[]>> records, String snapshotId) {
        return records.stream()
                .map(r -> Topics.TRAINING_EVENTS.decode(r.value()))
                .filter(e -> snapshotId.equals(e.snapshotId()))
                .toList();
    }

    /**
     * Sends single prompts until every generator has drawn one with {@code modelId} (they swap within seconds;
     * prompts spread over the generators' partitions by job id). Returns the generators that did.
     */
    private static Set<String> drawnWith(ComposeStack stack, String modelId, Set<String> generators) throws Exception {
        Set<String> swapped = new java.util.HashSet<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && !swapped.containsAll(generators)) {
            HttpResponse<String> response = stack.post(
                    "/api/generations",
                    "application/json",
                    "{\"prompt\": \"two brown cows on green grass\", \"seed\": 1}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            String jobId = Json.mapper()
                    .readTree(response.body())
                    .get("jobs")
                    .get(0)
                    .get("jobId")
                    .asText();
            try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), List.of(jobId))) {
                reader.awaitAll(Duration.ofMinutes(1));
                GenerationResult result = reader.results().get(jobId).get(0);
                if (modelId.equals(result.modelVersion())) {
                    assertThat(result.status()).isEqualTo(GenerationResult.Status.SUCCEEDED);
                    assertThat(result.width()).isEqualTo(32);
                    swapped.add(reader.generatorOf(jobId));
                }
            }
        }
        return swapped;
    }

    /** A multipart/form-data body: the JDK's HTTP client has none of its own. */
    private static final class Multipart {
        private final String boundary = "meadow-" + System.nanoTime();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Multipart field(String name, String value) {
            part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Multipart file(String name, String fileName, String type, byte[] content) {
            part(
                    "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName + "\"\r\n"
                            + "Content-Type: " + type + "\r\n",
                    content);
            return this;
        }

        private void part(String headers, byte[] content) {
            body.writeBytes(("--" + boundary + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        byte[] body() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(body.toByteArray());
            all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return all.toByteArray();
        }
    }
}
