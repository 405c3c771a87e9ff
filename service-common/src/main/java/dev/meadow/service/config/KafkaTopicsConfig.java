package dev.meadow.service.config;

import dev.meadow.messaging.TopicReplication;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Whether a service creates Meadow's topics at start, and with how many replicas. */
@ConfigMapping(prefix = "meadow.kafka")
public interface KafkaTopicsConfig {

    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    @WithDefault("true")
    boolean provisionTopics();

    /** {@code MEADOW_KAFKA_REPLICATION_FACTOR}: 1 on one broker, 3 on a cluster. */
    @WithDefault("1")
    short replicationFactor();

    /** {@code MEADOW_KAFKA_MIN_INSYNC_REPLICAS}: 2 with three replicas, so a write survives one broker's loss. */
    @WithDefault("1")
    int minInsyncReplicas();

    default TopicReplication replication() {
        return new TopicReplication(replicationFactor(), minInsyncReplicas());
    }
}
