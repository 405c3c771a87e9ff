package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.image.Png;
import dev.meadow.storage.Bucket;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Submitting prompts through the gateway and reading what the pipeline committed. */
final class Results {

    private Results() {}

    /** Submits one prompt and returns its job id. */
    static String submit(LocalStack stack, String prompt, long seed) throws Exception {
        HttpResponse<String> response = stack.post(
                "/api/generations",
                "application/json",
                Json.mapper().writeValueAsString(Map.of("prompt", prompt, "seed", seed)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = Json.mapper().readTree(response.body());
        return body.get("jobs").get(0).get("jobId").asText();
    }

    /** Every committed result of these jobs, waiting until each has at least one. */
    static Map<String, List<GenerationResult>> await(LocalStack stack, Collection<String> jobIds, Duration timeout) {
        Set<String> wanted = Set.copyOf(jobIds);
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            List<ConsumerRecord<String, byte[]>> records = inspector.await(
                    Topics.GENERATIONS.name(), r -> byJob(r, wanted::contains).size() == wanted.size(), timeout);
            return byJob(records, wanted::contains);
        }
    }

    static Map<String, List<GenerationResult>> byJob(
            List<ConsumerRecord<String, byte[]>> records, Predicate<String> keep) {
        Map<String, List<GenerationResult>> byJob = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (keep.test(record.key())) {
                byJob.computeIfAbsent(record.key(), k -> new ArrayList<>())
                        .add(Topics.GENERATIONS.decode(record.value()));
            }
        }
        return byJob;
    }

    /** Every job has exactly one result, and it succeeded. */
    static void assertExactlyOneSuccessEach(Map<String, List<GenerationResult>> results, Collection<String> jobs) {
        assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(jobs);
        results.forEach((job, list) -> {
            assertThat(list).as("results of %s", job).hasSize(1);
            assertThat(list.get(0).status())
                    .as("%s: %s", job, list.get(0).failureReason())
                    .isEqualTo(GenerationResult.Status.SUCCEEDED);
        });
    }

    static BufferedImage image(LocalStack stack, GenerationResult result) {
        return Png.decode(stack.store.get(Bucket.IMAGES, result.imageKey()));
    }

    static Map<String, String> text(LocalStack stack, GenerationResult result) {
        return Png.readText(stack.store.get(Bucket.IMAGES, result.imageKey()));
    }

    static int[] rgb(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
