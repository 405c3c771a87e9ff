package dev.meadow.service.config;

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

    @WithDefault("1")
    short replicationFactor();
}
