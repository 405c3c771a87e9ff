package dev.meadow.service.config;

import java.util.Map;
import java.util.Optional;

import dev.meadow.messaging.KafkaConnection;
import dev.meadow.messaging.TopicReplication;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * How a service reaches and logs in to Kafka, and whether it creates Meadow's topics at start. The messaging
 * connector's {@code kafka.*} settings are made from the same values (service-common's
 * {@code microprofile-config.properties}).
 */
@ConfigMapping(prefix = "meadow.kafka")
public interface KafkaTopicsConfig {

    @WithName("bootstrap-servers")
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    /** {@code MEADOW_KAFKA_USERNAME}: this component's Kafka user ({@code gateway}, {@code generator}, …). */
    String username();

    /** {@code MEADOW_KAFKA_PASSWORD}. */
    String password();

    /** {@code MEADOW_KAFKA_SECURITY_PROTOCOL}: {@code SASL_PLAINTEXT} on one machine, {@code SASL_SSL} across. */
    @WithDefault("SASL_PLAINTEXT")
    String securityProtocol();

    /** {@code MEADOW_KAFKA_SASL_MECHANISM}: {@code SCRAM-SHA-512}; {@code PLAIN} on the administrator's listener. */
    @WithDefault(KafkaConnection.SCRAM)
    String saslMechanism();

    /** {@code MEADOW_KAFKA_TRUSTSTORE}: a PEM file of the certificates to trust with {@code SASL_SSL}. */
    Optional<String> truststore();

    /** Creating topics needs an administrator: a component's own user may not. */
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

    /** The client properties of this service's own Kafka clients (followers, provisioning, transactions). */
    default Map<String, Object> connection() {
        return new KafkaConnection(
                        bootstrapServers(), securityProtocol(), saslMechanism(), username(), password(), truststore())
                .properties();
    }
}
