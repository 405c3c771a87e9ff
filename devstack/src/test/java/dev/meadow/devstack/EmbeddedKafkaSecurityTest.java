package dev.meadow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker lets in only who logs in, on the listener meant for them, and allows them only what an ACL says. */
@Tag("integration")
class EmbeddedKafkaSecurityTest {

    @TempDir
    static Path data;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(data.resolve("kafka"), 0, 0, "admin-secret");
        try (Admin admin = Admin.create(kafka.adminConnection())) {
            admin.createTopics(List.of(new NewTopic("guarded", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "nobody", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "nobody-secret")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aClientThatDoesNotLogInIsRefused() {
        Map<String, Object> anonymous = Map.of("bootstrap.servers", kafka.clientBootstrap());
        assertThatThrownBy(() -> listTopics(anonymous)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> listTopics(kafka.clientConnection("nobody", "guessed")))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    /** PLAIN would send the password itself: to whoever took the port, if someone did before the broker. */
    @Test
    void noListenerAClientIsToldOfTakesAPasswordInClear() {
        for (String bootstrap : new String[] {kafka.clientBootstrap(), kafka.adminBootstrap()}) {
            Map<String, Object> plain = new HashMap<>(kafka.adminConnection());
            plain.put("bootstrap.servers", bootstrap);
            plain.put("sasl.mechanism", "PLAIN");
            plain.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\""
                            + " password=\"admin-secret\";");
            assertThatThrownBy(() -> listTopics(plain))
                    .as(bootstrap)
                    .hasCauseInstanceOf(UnsupportedSaslMechanismException.class);
        }
    }

    @Test
    void theAdministratorsPasswordIsSetAgainAtEveryStart() throws Exception {
        Path dir = data.resolve("restarted");
        EmbeddedKafka.start(dir, 0, 0, "first-secret").close();
        try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0, 0, "second-secret")) {
            assertThat(listTopics(again.adminConnection())).isNotNull();
            Map<String, Object> old = new HashMap<>(again.adminConnection());
            old.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\""
                            + " password=\"first-secret\";");
            assertThatThrownBy(() -> listTopics(old)).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aUserWithoutRightsSeesNoTopicAndWritesNone() throws Exception {
        assertThat(listTopics(kafka.clientConnection("nobody", "nobody-secret")))
                .doesNotContain("guarded");
        Properties p = new Properties();
        p.putAll(kafka.clientConnection("nobody", "nobody-secret"));
        p.put("max.block.ms", "10000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("guarded", "k", "v"))
                            .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void theAdministratorSeesEverything() throws Exception {
        assertThat(listTopics(kafka.adminConnection())).contains("guarded");
    }

    @Test
    void theConfigurationHoldingThePasswordsIsTheOwnersAlone() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("kafka"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(data.resolve("kafka/server.properties"))))
                .isEqualTo("rw-------");
    }

    private static java.util.Set<String> listTopics(Map<String, Object> connection) throws Exception {
        Map<String, Object> config = new HashMap<>(connection);
        config.put("default.api.timeout.ms", 8000);
        config.put("request.timeout.ms", 4000);
        try (Admin admin = Admin.create(config)) {
            return admin.listTopics().names().get(15, TimeUnit.SECONDS);
        }
    }
}
