package dev.meadow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.StoredObject;

/** The batch every container test sends, and what must hold once it is done. */
final class Batches {

    static final int SIZE = 2_000;
    private static final List<String> SUBJECTS = List.of(
            "brown cows",
            "white sheep",
            "green grass",
            "snowy mountains",
            "a blue sky",
            "a red barn",
            "a herd of goats",
            "a misty valley");
    private static final List<String> SETTINGS =
            List.of("at dawn", "under a clear sky", "in the snow", "beside a lake", "on a hillside", "at sunset");

    private Batches() {}

    record Submitted(String batchId, List<String> jobIds, Instant at) {}

    /** Sends {@link #SIZE} prompts as one prompts file through the gateway's published port. */
    static Submitted submit(ComposeStack stack, int size) throws Exception {
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < size; i++) {
            prompts.append(SUBJECTS.get(i % SUBJECTS.size()))
                    .append(' ')
                    .append(SETTINGS.get((i / SUBJECTS.size()) % SETTINGS.size()))
                    .append('\n');
        }
        Instant at = Instant.now();
        HttpResponse<String> response = stack.post("/api/batches", "text/plain", prompts.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = Json.mapper().readTree(response.body());
        String batchId = body.get("batchId").asText();
        assertThat(body.get("total").asInt()).isEqualTo(size);
        // A batch this large is answered without its job list; a job's id is its batch's id and its index.
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            jobs.add(String.format(java.util.Locale.ROOT, "%s-%06d", batchId, i));
        }
        return new Submitted(batchId, jobs, at);
    }

    /**
     * Nothing lost, nothing duplicated: every job has exactly one committed result and it succeeded, and the bucket
     * holds exactly one image for each. Reads on for a few seconds first, so that a late duplicate is seen.
     */
    static void assertEachExactlyOnce(ComposeStack stack, ResultReader reader, Submitted batch) {
        reader.poll(Duration.ofSeconds(5));
        assertThat(reader.results().keySet()).containsExactlyInAnyOrderElementsOf(batch.jobIds());
        reader.results().forEach((job, list) -> {
            assertThat(list).as("results of %s", job).hasSize(1);
            assertThat(list.get(0).status())
                    .as("%s: %s", job, list.get(0).failureReason())
                    .isEqualTo(GenerationResult.Status.SUCCEEDED);
        });
        Set<String> expectedKeys =
                reader.results().values().stream().map(l -> l.get(0).imageKey()).collect(Collectors.toSet());
        List<String> stored = stack.store.list(Bucket.IMAGES, batch.batchId() + "-").stream()
                .map(StoredObject::key)
                .toList();
        assertThat(stored)
                .as("one image per job in the bucket")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expectedKeys);
    }
}
