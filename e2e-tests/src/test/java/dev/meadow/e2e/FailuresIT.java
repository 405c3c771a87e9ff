package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.testing.TinyModels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Crashes, poison, outages and model swaps while requests flow: nothing is lost, nothing is duplicated. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailuresIT {

    @Test
    @Order(1)
    void aGeneratorKilledMidBatchLosesNothingAndDuplicatesNothing() throws Exception {
        LocalStack stack = LocalStack.get();
        stack.startGenerator("generator-2");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            jobs.add(Results.submit(stack, "sheep and cows in a meadow number " + i, i));
        }
        // Wait until work is under way, then pull the plug on one instance.
        Results.await(stack, jobs.subList(0, 10), Duration.ofMinutes(2));
        stack.kill("generator-1");
        Map<String, List<GenerationResult>> results = Results.await(stack, jobs, Duration.ofMinutes(4));
        Results.assertExactlyOneSuccessEach(results, jobs);
    }

    @Test
    @Order(2)
    void poisonGoesToDeadLetterTopicsWithItsReasonAndThePipelineKeepsFlowing() throws Exception {
        LocalStack stack = LocalStack.get();
        try (TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            writer.send(Topics.PROMPTS.name(), "e2e-poison-prompt", "not json at all");
            writer.send(Topics.EMBEDDINGS.name(), "e2e-poison-embedding", "{\"version\":1}");
        }
        String after = Results.submit(stack, "a horse after the poison", 3);
        Results.assertExactlyOneSuccessEach(
                Results.await(stack, List.of(after), Duration.ofMinutes(2)), List.of(after));
        assertThat(deadLetterReason(stack, Topics.PROMPTS.deadLetterTopic(), "e2e-poison-prompt"))
                .startsWith("malformed GenerationRequest on prompts");
        assertThat(deadLetterReason(stack, Topics.EMBEDDINGS.deadLetterTopic(), "e2e-poison-embedding"))
                .startsWith("malformed EmbeddedPrompt on embeddings: field 'embedMillis'");
    }

    private static String deadLetterReason(LocalStack stack, String topic, String key) {
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            ConsumerRecord<String, byte[]> record =
                    inspector
                            .await(topic, r -> r.stream().anyMatch(x -> key.equals(x.key())), Duration.ofSeconds(60))
                            .stream()
                            .filter(x -> key.equals(x.key()))
                            .findFirst()
                            .orElseThrow();
            return new String(
                    record.headers().lastHeader(Topics.DEAD_LETTER_REASON).value(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(3)
    void anObjectStoreDownForThirtySecondsDelaysWorkButLosesNone() throws Exception {
        LocalStack stack = LocalStack.get();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            jobs.add(Results.submit(stack, "before the outage " + i, i));
        }
        stack.devstack.stopObjectStore();
        long down = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            jobs.add(Results.submit(stack, "during the outage " + i, i));
        }
        Thread.sleep(Math.max(0, 30_000 - (System.nanoTime() - down) / 1_000_000));
        stack.devstack.startObjectStore();
        Map<String, List<GenerationResult>> results = Results.await(stack, jobs, Duration.ofMinutes(4));
        Results.assertExactlyOneSuccessEach(results, jobs);
        for (String job : jobs) {
            assertThat(stack.store.exists(dev.meadow.storage.Bucket.IMAGES, job + ".png"))
                    .isTrue();
        }
    }

    @Test
    @Order(4)
    void aNewModelVersionGoesLiveWhileRequestsFlowAndNoRequestFails() throws Exception {
        LocalStack stack = LocalStack.get();
        try (ModelSeeding seeding = new ModelSeeding(stack.store, stack.kafkaAdmin())) {
            seeding.publish(TinyModels.get().decoderCopy("cvae-e2e-v2"), false);
        }
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(Results.submit(stack, "cows during the swap " + i, i));
            if (i == 20) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> stack.post("/api/models/cvae/cvae-e2e-v2/activate", "application/json", "")
                                        .statusCode()
                                == 200);
            }
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> loaded(stack, "cvae-e2e-v2"));
        String after = Results.submit(stack, "cows after the swap", 1);
        jobs.add(after);
        Map<String, List<GenerationResult>> results = Results.await(stack, jobs, Duration.ofMinutes(3));
        Results.assertExactlyOneSuccessEach(results, jobs);
        assertThat(results.get(after).get(0).modelVersion()).isEqualTo("cvae-e2e-v2");
        assertThat(results.get(jobs.get(0)).get(0).modelVersion()).isEqualTo(TinyModels.DECODER_ID);
    }

    private static boolean loaded(LocalStack stack, String modelId) {
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            return inspector.readAll(Topics.MODEL_EVENTS.name()).stream()
                    .map(r -> Topics.MODEL_EVENTS.decode(r.value()))
                    .anyMatch(e -> e.modelId().equals(modelId) && e.outcome() == ModelLoadEvent.Outcome.LOADED);
        }
    }

    @Test
    @Order(5)
    void servicesKilledWithSigkillComeBackOnTheirOwnAndWorkFlowsAgain() throws Exception {
        LocalStack stack = LocalStack.get();
        Map<String, Long> killed = new LinkedHashMap<>();
        for (var process : stack.supervisor.running()) {
            if (process.isAlive()) {
                killed.put(process.name(), process.pid());
                ProcessHandle.of(process.pid()).orElseThrow().destroyForcibly();
            }
        }
        assertThat(killed.keySet())
                .contains("gateway", "embedder", "trainer")
                .anyMatch(name -> name.startsWith("generator-"));
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> killed.entrySet().stream()
                        .allMatch(k -> stack.supervisor.running().stream()
                                .anyMatch(p -> p.name().equals(k.getKey())
                                        && p.isAlive()
                                        && p.pid() != k.getValue()
                                        && stack.components
                                                .get(k.getKey())
                                                .probe()
                                                .healthy())));
        String job = Results.submit(stack, "a cow after every service was killed", 4242);
        Map<String, List<GenerationResult>> results = Results.await(stack, List.of(job), Duration.ofMinutes(2));
        Results.assertExactlyOneSuccessEach(results, List.of(job));
    }
}
