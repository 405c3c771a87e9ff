package dev.meadow.messaging;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a client reaches the broker and proves who it is: the address, SASL (SCRAM-SHA-512 for components, PLAIN for
 * the administrator's own listener), and TLS where the connection leaves the machine.
 *
 * <p>Every Kafka client Meadow makes outside the messaging connector (followers, provisioning, seeding, the command
 * line) is built from {@link #properties()}; the services' connector gets the same settings from the same
 * {@code meadow.kafka.*} configuration.
 *
 * @param securityProtocol {@code SASL_PLAINTEXT} on one machine, {@code SASL_SSL} between machines
 * @param saslMechanism {@code SCRAM-SHA-512}, or {@code PLAIN} for the administrator
 * @param truststore a PEM file of the certificates to trust, with {@code SASL_SSL}; empty for the JDK's own
 */
public record KafkaConnection(
        String bootstrapServers,
        String securityProtocol,
        String saslMechanism,
        String username,
        String password,
        Optional<String> truststore) {

    public static final String SCRAM = "SCRAM-SHA-512";
    public static final String PLAIN = "PLAIN";

    public KafkaConnection {
        require(bootstrapServers, "the broker's address (KAFKA_BOOTSTRAP_SERVERS)");
        require(username, "a Kafka user name (MEADOW_KAFKA_USERNAME)");
        require(password, "a Kafka password (MEADOW_KAFKA_PASSWORD)");
        securityProtocol = securityProtocol.toUpperCase(Locale.ROOT);
        if (!securityProtocol.equals("SASL_PLAINTEXT") && !securityProtocol.equals("SASL_SSL")) {
            throw new IllegalArgumentException(
                    "Kafka security protocol must be SASL_PLAINTEXT or SASL_SSL, not '" + securityProtocol + "'");
        }
        if (!saslMechanism.equals(SCRAM) && !saslMechanism.equals(PLAIN)) {
            throw new IllegalArgumentException(
                    "Kafka SASL mechanism must be " + SCRAM + " or " + PLAIN + ", not '" + saslMechanism + "'");
        }
        requireQuotable("Kafka user names and passwords", username);
        requireQuotable("Kafka user names and passwords", password);
        truststore = truststore.filter(path -> !path.isBlank());
    }

    /** A component's login over SCRAM-SHA-512. */
    public static KafkaConnection scram(String bootstrapServers, String username, String password) {
        return new KafkaConnection(bootstrapServers, "SASL_PLAINTEXT", SCRAM, username, password, Optional.empty());
    }

    /**
     * From the variables the services read too: {@code KAFKA_BOOTSTRAP_SERVERS}, {@code MEADOW_KAFKA_USERNAME},
     * {@code MEADOW_KAFKA_PASSWORD}, and optionally {@code MEADOW_KAFKA_SECURITY_PROTOCOL},
     * {@code MEADOW_KAFKA_SASL_MECHANISM} and {@code MEADOW_KAFKA_TRUSTSTORE}.
     *
     * @param bootstrapServers the address to use instead of the variable's, or null
     */
    public static KafkaConnection fromEnvironment(Function<String, String> env, String bootstrapServers) {
        return new KafkaConnection(
                bootstrapServers != null ? bootstrapServers : env.apply("KAFKA_BOOTSTRAP_SERVERS"),
                orDefault(env.apply("MEADOW_KAFKA_SECURITY_PROTOCOL"), "SASL_PLAINTEXT"),
                orDefault(env.apply("MEADOW_KAFKA_SASL_MECHANISM"), SCRAM),
                env.apply("MEADOW_KAFKA_USERNAME"),
                env.apply("MEADOW_KAFKA_PASSWORD"),
                Optional.ofNullable(env.apply("MEADOW_KAFKA_TRUSTSTORE")));
    }

    /** The client properties: address, SASL and TLS settings, ready for a producer, consumer or admin client. */
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", securityProtocol);
        p.put("sasl.mechanism", saslMechanism);
        p.put("sasl.jaas.config", jaasConfig(saslMechanism, username, password));
        truststore.ifPresent(path -> {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", path);
        });
        return p;
    }

    /** The JAAS line that logs in as {@code username}: SCRAM's login module or PLAIN's. */
    public static String jaasConfig(String mechanism, String username, String password) {
        String module = mechanism.equals(PLAIN)
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + username + "\" password=\"" + password + "\";";
    }

    @Override
    public String toString() {
        return "KafkaConnection[" + username + "@" + bootstrapServers + " over " + securityProtocol + "/"
                + saslMechanism + "]";
    }

    /**
     * Refuses a credential that would end the JAAS line it is quoted in early (a quote, backslash or line break):
     * for passwords set here and used in a login elsewhere too.
     *
     * @param what what the value is, for the message
     */
    public static void requireQuotable(String what, String value) {
        if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException(what + " may not contain quotes, backslashes or line breaks");
        }
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + what);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
