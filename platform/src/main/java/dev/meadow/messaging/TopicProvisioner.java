package dev.meadow.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.meadow.contracts.Topic;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Meadow's topics and their dead-letter topics with the declared partition counts and settings.
 * Safe to run at every start: topics that exist are left as they are. Creating topics needs an administrator's
 * login; a component's own user may not.
 */
public final class TopicProvisioner {

    private TopicProvisioner() {}

    /**
     * Creates what is missing and returns the names it created.
     *
     * @param connection an administrator's connection ({@link KafkaConnection#properties()})
     */
    public static List<String> ensureTopics(Map<String, Object> connection, TopicReplication replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = new HashMap<>(connection);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(config)) {
            return ensureTopics(admin, replication);
        }
    }

    public static List<String> ensureTopics(Admin admin, TopicReplication replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Topic<?> topic : Topics.ALL) {
            if (!existing.contains(topic.name())) {
                missing.add(new NewTopic(topic.name(), topic.partitions(), replication.factor())
                        .configs(withReplication(topic.config(), replication)));
            }
            if (!existing.contains(topic.deadLetterTopic())) {
                missing.add(new NewTopic(topic.deadLetterTopic(), 1, replication.factor())
                        .configs(withReplication(Map.of("retention.ms", "-1"), replication)));
            }
        }
        List<String> created = new ArrayList<>();
        for (NewTopic topic : missing) {
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                // Another service created it in the meantime.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    static Map<String, String> withReplication(Map<String, String> config, TopicReplication replication) {
        Map<String, String> merged = new HashMap<>(config);
        merged.put("min.insync.replicas", String.valueOf(replication.minInsyncReplicas()));
        return merged;
    }
}
