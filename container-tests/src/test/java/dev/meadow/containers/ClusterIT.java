package dev.meadow.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.containers.Batches.Submitted;
import dev.meadow.contracts.Json;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The shipped compose file with three brokers, three generators and every other service in its own container: a
 * batch of 2,000 prompts through the gateway's published port, whole, and with one failure injected while it flows.
 * Each test ends with every job's exactly one committed result and exactly one image in the bucket.
 */
@Testcontainers(disabledWithoutDocker = true)
class ClusterIT {

    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private static ComposeStack stack;
    private String testName;

    @BeforeAll
    static void up() throws Exception {
        stack = ComposeStack.get();
    }

    @BeforeEach
    void whole(TestInfo info) throws Exception {
        testName = info.getTestMethod().orElseThrow().getName();
        stack.awaitHealthy(Duration.ofMinutes(3));
        stack.awaitFullyReplicated(Duration.ofMinutes(3));
    }

    @AfterEach
    void logs() {
        stack.saveLogs(testName);
    }

    @Test
    void everyTopicIsReplicatedThreeTimesAndNeedsTwoCopies() throws Exception {
        try (Admin admin = Admin.create(stack.kafkaAdmin())) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            List<String> names = new ArrayList<>(List.of("__consumer_offsets", "__transaction_state"));
            Topics.ALL.forEach(t -> names.addAll(List.of(t.name(), t.deadLetterTopic())));
            Map<String, TopicDescription> topics =
                    admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(names);
            topics.values()
                    .forEach(t -> t.partitions()
                            .forEach(p -> assertThat(p.replicas())
                                    .as("%s-%d", t.name(), p.partition())
                                    .hasSize(3)));
            List<ConfigResource> resources = names.stream()
                    .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                    .toList();
            admin.describeConfigs(resources)
                    .all()
                    .get()
                    .forEach((topic, config) -> assertThat(
                                    config.get("min.insync.replicas").value())
                            .as(topic.name())
                            .isEqualTo("2"));
        }
    }

    @Test
    void theBrokersLetInNoOneWithoutTlsAndALogin() throws Exception {
        Map<String, Object> plaintext = new java.util.HashMap<>(Map.of("bootstrap.servers", stack.kafkaBootstrap()));
        Map<String, Object> tlsWithoutLogin = new java.util.HashMap<>(stack.kafkaAdmin());
        tlsWithoutLogin.put("security.protocol", "SSL");
        tlsWithoutLogin.remove("sasl.mechanism");
        tlsWithoutLogin.remove("sasl.jaas.config");
        Map<String, Object> wrongPassword = new java.util.HashMap<>(stack.kafkaAdmin());
        wrongPassword.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\""
                        + " password=\"guessed\";");
        for (Map<String, Object> refused : List.of(plaintext, tlsWithoutLogin, wrongPassword)) {
            refused.put("default.api.timeout.ms", 8000);
            refused.put("request.timeout.ms", 4000);
            try (Admin admin = Admin.create(refused)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> admin.describeCluster().nodes().get(15, java.util.concurrent.TimeUnit.SECONDS))
                        .as("%s", refused.get("security.protocol"))
                        .isInstanceOf(java.util.concurrent.ExecutionException.class);
            }
        }
    }

    @Test
    void twoThousandPromptsEndOnceEachWithEveryGeneratorTakingAShare() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAll(BATCH_TIMEOUT);
            double seconds = Duration.between(batch.at(), reader.lastArrival()).toMillis() / 1000.0;
            System.out.printf(
                    "[containers] %d images in %.1f s: %.1f images/s; split by generator %s%n",
                    Batches.SIZE, seconds, Batches.SIZE / seconds, reader.byGenerator());
            Batches.assertEachExactlyOnce(stack, reader, batch);
            Map<String, Integer> split = reader.byGenerator();
            assertThat(split.keySet())
                    .as("every generator container produced a share")
                    .containsExactlyInAnyOrderElementsOf(stack.containers("generator").stream()
                            .map(c -> stack.hostName(c.getId()))
                            .collect(Collectors.toSet()));
            assertThat(split.values()).allSatisfy(n -> assertThat(n).isPositive());
        }
    }

    @Test
    void aKilledBrokerLosesNothingAndTheClusterServesOnTwo() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        String broker = stack.containerId("kafka-2", 1);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAtLeast(300, BATCH_TIMEOUT);
            int before = reader.jobsDone();
            Instant killed = Instant.now();
            stack.kill(broker);
            // Results read now may have been produced before the kill: only one produced after it counts.
            Duration recovery = null;
            while (recovery == null && Duration.between(killed, Instant.now()).compareTo(BATCH_TIMEOUT) < 0) {
                reader.poll(Duration.ofMillis(200));
                recovery = reader.firstProducedAfter(killed)
                        .map(t -> Duration.between(killed, t))
                        .orElse(null);
            }
            assertThat(recovery).as("results flow again after the broker died").isNotNull();
            System.out.printf(
                    "[containers] broker kafka-2 killed at %d of %d results; results flowed again after " + "%.1f s%n",
                    before, Batches.SIZE, recovery.toMillis() / 1000.0);
            reader.awaitAll(BATCH_TIMEOUT);
            Batches.assertEachExactlyOnce(stack, reader, batch);
        } finally {
            stack.start(broker);
        }
    }

    @Test
    void aKilledGeneratorsPartitionsAreTakenOver() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        String generator = stack.containerId("generator", 2);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAtLeast(300, BATCH_TIMEOUT);
            stack.kill(generator);
            reader.awaitAll(BATCH_TIMEOUT);
            Batches.assertEachExactlyOnce(stack, reader, batch);
        } finally {
            stack.start(generator);
        }
    }

    @Test
    void aPartitionedGeneratorIsFencedAndPublishesNoDuplicate() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        String generator = stack.containerId("generator", 1);
        String network = stack.network(generator);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAtLeast(300, BATCH_TIMEOUT);
            stack.disconnect(generator, network);
            int before = reader.jobsDone();
            try {
                reader.poll(OUTAGE);
            } finally {
                stack.connect(generator, network, "generator");
            }
            assertThat(reader.jobsDone())
                    .as("the other generators went on while one was cut off")
                    .isGreaterThan(before);
            reader.awaitAll(BATCH_TIMEOUT);
            // The partitioned instance is back and may try to finish what it had: wait until it is healthy again
            // and read on, so that a duplicate it published would be seen.
            stack.awaitHealthy(Duration.ofMinutes(2));
            reader.poll(Duration.ofSeconds(10));
            Batches.assertEachExactlyOnce(stack, reader, batch);
        }
    }

    @Test
    void aPausedObjectStoreDelaysImagesAndLosesNone() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        String store = stack.containerId("minio", 1);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAtLeast(300, BATCH_TIMEOUT);
            stack.pause(store);
            try {
                reader.poll(OUTAGE);
            } finally {
                stack.unpause(store);
            }
            reader.awaitAll(BATCH_TIMEOUT);
            Batches.assertEachExactlyOnce(stack, reader, batch);
        }
    }

    @Test
    void aRestartedGatewayRebuildsItsViewWithTheBatchsTotals() throws Exception {
        Submitted batch = Batches.submit(stack, Batches.SIZE);
        String gateway = stack.containerId("gateway", 1);
        try (ResultReader reader = new ResultReader(stack.kafkaAdmin(), batch.jobIds())) {
            reader.awaitAtLeast(300, BATCH_TIMEOUT);
            stack.restart(gateway);
            reader.awaitAll(BATCH_TIMEOUT);
            Batches.assertEachExactlyOnce(stack, reader, batch);
        }
        stack.awaitHealthy(Duration.ofMinutes(3));
        JsonNode progress = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = stack.get("/api/batches/" + batch.batchId());
            if (response.statusCode() == 200) {
                progress = Json.mapper().readTree(response.body());
                if (progress.get("finished").asBoolean()) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        assertThat(progress).as("the batch's progress after the restart").isNotNull();
        assertThat(progress.get("total").asInt()).isEqualTo(Batches.SIZE);
        assertThat(progress.get("generated").asInt()).isEqualTo(Batches.SIZE);
        assertThat(progress.get("failed").asInt()).isZero();
        assertThat(progress.get("finished").asBoolean()).isTrue();
    }
}
