package dev.meadow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.meadow.cli.offline.SetupKafkaCommand;
import dev.meadow.contracts.Component;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What compose's seed-models runs first: topics, users and rights, from the administrator's login. */
@Tag("integration")
class SetupKafkaCommandTest {

    @TempDir
    Path dir;

    @Test
    void makesTheTopicsAndAUserPerComponentWithOnlyItsRights() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0, "admin-secret")) {
            Map<String, String> env = adminEnvironment(kafka);
            for (Component component : Component.values()) {
                env.put("MEADOW_KAFKA_" + component.name() + "_PASSWORD", component.principal() + "-pw");
            }
            Run run = run(env);
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("users gateway, embedder, generator, trainer, publisher");
            try (Admin admin = Admin.create(kafka.adminConnection())) {
                assertThat(admin.listTopics().names().get()).contains("generations", "generations.dlq", "models");
            }
            send(kafka.clientConnection("generator", "generator-pw"), Topics.GENERATIONS.name());
            assertThatThrownBy(() -> send(kafka.clientConnection("embedder", "embedder-pw"), Topics.GENERATIONS.name()))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);

            // Again: nothing breaks, nothing is doubled.
            assertThat(run(env).exitCode()).isZero();
        }
    }

    @Test
    void aComponentWithoutAPasswordIsAClearError() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, 0, "admin-secret")) {
            Map<String, String> env = adminEnvironment(kafka);
            env.put("MEADOW_KAFKA_GATEWAY_PASSWORD", "gateway-pw");
            Run run = run(env);
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.err()).contains("MEADOW_KAFKA_EMBEDDER_PASSWORD must be set");
        }
    }

    private static Map<String, String> adminEnvironment(EmbeddedKafka kafka) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.adminBootstrap());
        env.put("MEADOW_KAFKA_USERNAME", EmbeddedKafka.ADMIN_USER);
        env.put("MEADOW_KAFKA_PASSWORD", "admin-secret");
        return env;
    }

    record Run(int exitCode, String out, String err) {}

    private static Run run(Map<String, String> env) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SetupKafkaCommand(env::get));
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute();
        return new Run(code, out.toString(), err.toString());
    }

    private static void send(Map<String, Object> login, String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(login);
        p.put("max.block.ms", "10000");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(15, TimeUnit.SECONDS);
        }
    }
}
