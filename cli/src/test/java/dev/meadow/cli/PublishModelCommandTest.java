package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.meadow.contracts.Component;
import dev.meadow.contracts.ModelKind;
import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.EmbeddedObjectStore;
import dev.meadow.messaging.KafkaAccess;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeding a deployment with publish-model, against a real broker and object store. */
@Tag("integration")
class PublishModelCommandTest {

    private static final Path SHIPPED_CLIP = Path.of("../models/meadow-clip-v1");
    private static final Path JUDGE_CLIP = Path.of("../models/judge/meadow-judge-clip-v1");

    @TempDir
    static Path dir;

    static EmbeddedKafka kafka;
    static EmbeddedObjectStore store;
    static Path upData;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, 0, "admin-secret");
        store = EmbeddedObjectStore.start(dir.resolve("s3"), 0, "seed-test", "seed-test-secret");
        // As meadow up leaves it: the topics, and the publisher's user with only its rights.
        TopicProvisioner.ensureTopics(kafka.adminConnection(), TopicReplication.SINGLE_BROKER);
        try (Admin admin = Admin.create(kafka.adminConnection())) {
            KafkaAccess.apply(admin, Map.of(Component.PUBLISHER, "publisher-secret"));
        }
        upData = Files.createDirectories(dir.resolve("up-data"));
        Files.writeString(
                upData.resolve("client.properties"),
                "kafka=" + kafka.clientBootstrap() + "\ns3=" + store.endpoint() + "\n");
        Files.writeString(
                upData.resolve("credentials.properties"),
                "s3.access-key=seed-test\ns3.secret-key=seed-test-secret\nkafka.publisher-password=publisher-secret\n");
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
        kafka.close();
    }

    @Test
    void activateIfNoneActivatesOnceAndLeavesALaterChoiceAlone() throws Exception {
        UpCommandTest.Run first = publish(SHIPPED_CLIP, "--activate-if-none");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("Published clip model meadow-clip-v1 and activated it (none was active)");
        assertThat(activeClip()).isEqualTo("meadow-clip-v1");

        // Someone activates another CLIP model; seeding again (the next compose up) must not take it back.
        UpCommandTest.Run chosen = publish(JUDGE_CLIP, "--activate");
        assertThat(chosen.exitCode()).as(chosen.err()).isZero();
        UpCommandTest.Run again = publish(SHIPPED_CLIP, "--activate-if-none");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("Published clip model meadow-clip-v1; meadow-judge-clip-v1 stays active");
        assertThat(activeClip()).isEqualTo("meadow-judge-clip-v1");
    }

    @Test
    void bothActivationOptionsAtOnceAreAUsageError() {
        UpCommandTest.Run run = publish(SHIPPED_CLIP, "--activate", "--activate-if-none");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mutually exclusive");
    }

    /** Against a local stack, what meadow up wrote to its data directory is enough. */
    @Test
    void findsTheStackAndItsKeysInTheDataDirectoryOfMeadowUp() throws Exception {
        // Given keys take precedence over meadow up's.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MEADOW_S3_ACCESS_KEY") == null);
        UpCommandTest.Run run = UpCommandTest.run("publish-model", JUDGE_CLIP.toString(), "--data", upData.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Published clip model meadow-judge-clip-v1");

        Path empty = Files.createDirectories(dir.resolve("no-up-here"));
        UpCommandTest.Run without =
                UpCommandTest.run("publish-model", JUDGE_CLIP.toString(), "--data", empty.toString());
        assertThat(without.exitCode()).isNotZero();
        assertThat(without.err())
                .contains("no object store given")
                .contains(empty.resolve("credentials.properties").toString());
    }

    private static UpCommandTest.Run publish(Path model, String... activation) {
        String[] args = {"publish-model", model.toString(), "--data", upData.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + activation.length);
        System.arraycopy(activation, 0, all, args.length, activation.length);
        return UpCommandTest.run(all);
    }

    @Test
    void aStoreGivenOnTheCommandLineNeedsAKafkaLoginOfItsOwn() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MEADOW_KAFKA_USERNAME") == null);
        UpCommandTest.Run run = UpCommandTest.run(
                "publish-model",
                JUDGE_CLIP.toString(),
                "--s3",
                store.endpoint().toString(),
                "--access-key",
                "seed-test",
                "--secret-key",
                "seed-test-secret",
                "--data",
                upData.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no Kafka login").contains("MEADOW_KAFKA_USERNAME");
    }

    private static String activeClip() throws Exception {
        try (ModelCatalog catalog = new ModelCatalog(kafka.adminConnection(), "publish-model-test").start()) {
            assertThat(catalog.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            return catalog.activeId(ModelKind.CLIP).orElseThrow();
        }
    }
}
