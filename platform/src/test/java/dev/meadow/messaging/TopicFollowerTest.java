package dev.meadow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.FreePorts;
import dev.meadow.devstack.TopicWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class TopicFollowerTest {

    @TempDir
    Path data;

    private static void createTopic(Map<String, Object> connection, String topic) throws Exception {
        try (Admin admin = Admin.create(connection)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
    }

    @Test
    void aBrokerThatIsNotThereAtStartIsWaitedForAndFollowedOnceItIs() throws Exception {
        int port = FreePorts.pick();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (TopicFollower follower = new TopicFollower(
                        adminAt(port),
                        "late",
                        "test-late",
                        r -> seen.add(new String(r.value())),
                        Duration.ofMillis(500))
                .start()) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> follower.problem().isPresent());
            assertThat(follower.problem().get()).startsWith("not followed: ");
            assertThat(follower.isCaughtUp()).isFalse();
            Thread.sleep(2_000);
            assertThat(follower.problem()).as("still trying, not dead").isPresent();

            try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0, port, ADMIN_PASSWORD)) {
                createTopic(kafka.adminConnection(), "late");
                try (TopicWriter writer = new TopicWriter(kafka.adminConnection())) {
                    writer.send("late", "a", "one");
                    writer.send("late", "b", "two");
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == 2);
                assertThat(seen).containsExactlyInAnyOrder("one", "two");
                await().atMost(Duration.ofSeconds(10)).until(follower::isCaughtUp);
                assertThat(follower.problem()).isEmpty();
            }
        }
    }

    @Test
    void aBrokerThatGoesAwayLaterIsNoticedAndFollowedAgainWhenItIsBack() throws Exception {
        int port = FreePorts.pick();
        List<String> seen = new CopyOnWriteArrayList<>();
        Path kafkaData = data.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaData, 0, port, ADMIN_PASSWORD);
        createTopic(kafka.adminConnection(), "outage");
        try (TopicFollower follower = new TopicFollower(
                        adminAt(port),
                        "outage",
                        "test-outage",
                        r -> seen.add(new String(r.value())),
                        Duration.ofMillis(500))
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(follower::isCaughtUp);
            assertThat(follower.problem()).isEmpty();

            kafka.close();
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> follower.problem().isPresent());
            assertThat(follower.problem().get()).startsWith("not followed: ");

            kafka = EmbeddedKafka.start(kafkaData, 0, port, ADMIN_PASSWORD);
            try (TopicWriter writer = new TopicWriter(kafka.adminConnection())) {
                writer.send("outage", "a", "after the outage");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.contains("after the outage"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> follower.problem().isEmpty());
        } finally {
            kafka.close();
        }
    }

    @Test
    void aFollowerWhoseThreadDiesSaysSoForGood() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0, 0, ADMIN_PASSWORD)) {
            createTopic(kafka.adminConnection(), "fatal");
            try (TopicWriter writer = new TopicWriter(kafka.adminConnection())) {
                writer.send("fatal", "a", "boom");
            }
            try (TopicFollower follower = new TopicFollower(kafka.adminConnection(), "fatal", "test-fatal", r -> {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    })
                    .start()) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> follower.problem().isPresent());
                assertThat(follower.problem().get())
                        .startsWith("stopped: ")
                        .contains("OutOfMemoryError: Java heap space (simulated)");
            }
        }
    }

    private static final String ADMIN_PASSWORD = "admin-secret";

    /** The administrator's login on a port where a broker may not be listening yet. */
    private static Map<String, Object> adminAt(int port) {
        return KafkaConnection.scram("127.0.0.1:" + port, EmbeddedKafka.ADMIN_USER, ADMIN_PASSWORD)
                .properties();
    }
}
