package dev.meadow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.Topic;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class TopicProvisionerTest {

    @TempDir
    Path data;

    @Test
    void createsEveryTopicWithItsDeclaredShapeOnceOnly() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0, 0, "admin-secret")) {
            List<String> created =
                    TopicProvisioner.ensureTopics(kafka.adminConnection(), TopicReplication.SINGLE_BROKER);
            assertThat(created).hasSize(Topics.ALL.size() * 2).contains("prompts", "prompts.dlq", "models");
            assertThat(TopicProvisioner.ensureTopics(kafka.adminConnection(), TopicReplication.SINGLE_BROKER))
                    .isEmpty();

            try (Admin admin = Admin.create(kafka.adminConnection())) {
                Map<String, TopicDescription> topics = admin.describeTopics(
                                Topics.ALL.stream().map(Topic::name).toList())
                        .allTopicNames()
                        .get();
                for (Topic<?> topic : Topics.ALL) {
                    assertThat(topics.get(topic.name()).partitions())
                            .as(topic.name())
                            .hasSize(topic.partitions());
                }
                ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, "models");
                assertThat(admin.describeConfigs(List.of(models))
                                .all()
                                .get()
                                .get(models)
                                .get("cleanup.policy")
                                .value())
                        .isEqualTo("compact");
            }
        }
    }
}
