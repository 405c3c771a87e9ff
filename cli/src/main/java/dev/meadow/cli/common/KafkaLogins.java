package dev.meadow.cli.common;

import java.util.Map;
import java.util.Optional;

import dev.meadow.contracts.Component;
import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.messaging.KafkaConnection;

/**
 * The Kafka login of a command: the environment's ({@code MEADOW_KAFKA_USERNAME}, {@code MEADOW_KAFKA_PASSWORD} and
 * the other variables the services read), or else the one {@code meadow up} generated in its data directory for the
 * component the command acts as.
 */
public final class KafkaLogins {

    private KafkaLogins() {}

    /**
     * @param bootstrap the broker named on the command line, or null
     * @param up the data of the {@code meadow up} whose stack the command works on, if it does
     * @param as the component whose rights the command needs, when it logs in through {@code meadow up}'s data
     */
    public static Map<String, Object> resolve(String bootstrap, Optional<UpData> up, Component as) {
        try {
            if (given(System.getenv("MEADOW_KAFKA_USERNAME"))) {
                return KafkaConnection.fromEnvironment(System::getenv, given(bootstrap) ? bootstrap : null)
                        .properties();
            }
            if (up.isPresent()) {
                String password = up.get().credentials().getProperty(UpData.kafkaPasswordKey(as.principal()));
                String upBroker = up.get().client().getProperty("kafka");
                if (given(password) && given(upBroker)) {
                    return KafkaConnection.scram(given(bootstrap) ? bootstrap : upBroker, as.principal(), password)
                            .properties();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new UserError("Kafka login: " + e.getMessage(), e);
        }
        throw new UserError("no Kafka login: set MEADOW_KAFKA_USERNAME and MEADOW_KAFKA_PASSWORD (and"
                + " KAFKA_BOOTSTRAP_SERVERS or --kafka), or give --data the data directory of a meadow up"
                + up.map(u -> " (" + u.directory() + " has no Kafka login)").orElse(""));
    }

    /** The administrator's login of {@code meadow up}'s broker (its own listener), for benchmarks that feed topics. */
    public static Map<String, Object> upAdmin(UpData up) {
        String password = up.credentials().getProperty(UpData.kafkaPasswordKey(EmbeddedKafka.ADMIN_USER));
        String address = up.client().getProperty("kafka-admin");
        if (!given(password) || !given(address)) {
            throw new UserError("no Kafka administrator in " + up.directory() + ": start meadow up there first");
        }
        return KafkaConnection.scram(address, EmbeddedKafka.ADMIN_USER, password)
                .properties();
    }

    private static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
