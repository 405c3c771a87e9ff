package dev.meadow.cli.offline;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Component;
import dev.meadow.messaging.KafkaAccess;
import dev.meadow.messaging.KafkaConnection;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.messaging.TopicReplication;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "setup-kafka",
        mixinStandardHelpOptions = true,
        description = {
            "As the broker's administrator: create Meadow's topics, and give each component its Kafka user and only "
                    + "the rights contracts' Topics declares for it (rights no longer declared are taken away). "
                    + "Safe to run again; compose's seed-models runs it at every start.",
            "The administrator's login comes from KAFKA_BOOTSTRAP_SERVERS, MEADOW_KAFKA_USERNAME, MEADOW_KAFKA_PASSWORD "
                    + "(MEADOW_KAFKA_SASL_MECHANISM, MEADOW_KAFKA_SECURITY_PROTOCOL, MEADOW_KAFKA_TRUSTSTORE); each "
                    + "component's password from MEADOW_KAFKA_<COMPONENT>_PASSWORD (GATEWAY, EMBEDDER, GENERATOR, "
                    + "TRAINER, PUBLISHER)."
        })
public final class SetupKafkaCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--replication-factor",
            defaultValue = "${env:MEADOW_KAFKA_REPLICATION_FACTOR:-1}",
            description = "Copies of each topic it creates (default: $MEADOW_KAFKA_REPLICATION_FACTOR or 1).")
    short replicationFactor;

    @Option(
            names = "--min-insync-replicas",
            defaultValue = "${env:MEADOW_KAFKA_MIN_INSYNC_REPLICAS:-1}",
            description = "Copies a write needs (default: $MEADOW_KAFKA_MIN_INSYNC_REPLICAS or 1).")
    int minInsyncReplicas;

    private final Function<String, String> environment;

    public SetupKafkaCommand() {
        this(System::getenv);
    }

    /** Reading the environment from {@code environment} instead of the process's. */
    public SetupKafkaCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        TopicReplication replication;
        KafkaConnection admin;
        try {
            replication = new TopicReplication(replicationFactor, minInsyncReplicas);
            admin = KafkaConnection.fromEnvironment(environment, null);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        Map<Component, String> passwords = passwords(environment);
        List<String> created = TopicProvisioner.ensureTopics(admin.properties(), replication);
        try (Admin client = Admin.create(admin.properties())) {
            KafkaAccess.apply(client, passwords);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "Kafka at %s: %d topics created; users %s, each with only its rights%n",
                        admin.bootstrapServers(), created.size(), String.join(", ", principals(passwords)));
        return 0;
    }

    static Map<Component, String> passwords(Function<String, String> environment) {
        Map<Component, String> passwords = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            String variable = "MEADOW_KAFKA_" + component.name().toUpperCase(Locale.ROOT) + "_PASSWORD";
            String password = environment.apply(variable);
            if (password == null || password.isBlank()) {
                throw new UserError(variable + " must be set: every component logs in with a password of its own");
            }
            try {
                KafkaConnection.requireQuotable(variable, password);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), e);
            }
            passwords.put(component, password);
        }
        return passwords;
    }

    private static List<String> principals(Map<Component, String> passwords) {
        return passwords.keySet().stream().map(Component::principal).toList();
    }
}
