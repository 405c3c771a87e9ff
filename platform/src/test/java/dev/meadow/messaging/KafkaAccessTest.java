package dev.meadow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.meadow.contracts.Component;
import dev.meadow.contracts.Topics;
import dev.meadow.devstack.EmbeddedKafka;
import dev.meadow.devstack.TopicInspector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a broker that refuses what no ACL allows, each component can do what {@code Topics} declares, and no more. */
@Tag("integration")
class KafkaAccessTest {

    @TempDir
    static Path data;

    private static EmbeddedKafka kafka;
    private static final Map<Component, String> PASSWORDS = new EnumMap<>(Component.class);

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(data, 0, 0, "admin-secret");
        TopicProvisioner.ensureTopics(kafka.adminConnection(), TopicReplication.SINGLE_BROKER);
        for (Component component : Component.values()) {
            PASSWORDS.put(component, component.principal() + "-secret");
        }
        try (Admin admin = Admin.create(kafka.adminConnection())) {
            KafkaAccess.apply(admin, PASSWORDS);
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void theEmbeddersCredentialsCannotWriteResults() {
        assertThatThrownBy(() -> send(Component.EMBEDDER, Topics.GENERATIONS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        try (TopicInspector inspector = new TopicInspector(kafka.adminConnection())) {
            assertThat(inspector.readAll(Topics.GENERATIONS.name()))
                    .extracting(ConsumerRecord::key)
                    .doesNotContain(Component.EMBEDDER.principal());
        }
    }

    @Test
    void onlyTheGeneratorWritesResults() throws Exception {
        send(Component.GENERATOR, Topics.GENERATIONS.name());
        for (Component other : List.of(Component.GATEWAY, Component.TRAINER, Component.PUBLISHER)) {
            assertThatThrownBy(() -> send(other, Topics.GENERATIONS.name()))
                    .as(other + " writing results")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void onlyTheGatewayWritesPromptsAndBatches() throws Exception {
        send(Component.GATEWAY, Topics.PROMPTS.name());
        send(Component.GATEWAY, Topics.BATCHES.name());
        assertThatThrownBy(() -> send(Component.GENERATOR, Topics.BATCHES.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(Component.EMBEDDER, Topics.PROMPTS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void modelsComeFromTheGatewayTheTrainerAndThePublisherOnly() throws Exception {
        send(Component.PUBLISHER, Topics.MODELS.name());
        send(Component.TRAINER, Topics.MODELS.name());
        for (Component other : List.of(Component.EMBEDDER, Component.GENERATOR)) {
            assertThatThrownBy(() -> send(other, Topics.MODELS.name()))
                    .as(other + " writing models")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aReaderWritesItsTopicsDeadLettersButNoOtherTopics() throws Exception {
        send(Component.EMBEDDER, Topics.PROMPTS.deadLetterTopic());
        assertThatThrownBy(() -> send(Component.EMBEDDER, Topics.GENERATIONS.deadLetterTopic()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aComponentUsesOnlyTransactionalIdsUnderItsOwnPrefix() throws Exception {
        try (KafkaProducer<String, byte[]> own = producer(Component.EMBEDDER, "meadow-embedder-prompts-test")) {
            own.initTransactions();
        }
        try (KafkaProducer<String, byte[]> borrowed = producer(Component.EMBEDDER, "meadow-generator-test")) {
            assertThatThrownBy(borrowed::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void rightsNoLongerDeclaredAreTakenAway() throws Exception {
        AclBinding extra = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, Topics.GENERATIONS.name(), PatternType.LITERAL),
                new AccessControlEntry(
                        KafkaAccess.principal(Component.EMBEDDER), "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        try (Admin admin = Admin.create(kafka.adminConnection())) {
            admin.createAcls(List.of(extra)).all().get(30, TimeUnit.SECONDS);
            KafkaAccess.apply(admin, PASSWORDS);
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .doesNotContain(extra)
                    .containsAll(KafkaAccess.rights(Component.GENERATOR));
        }
        assertThatThrownBy(() -> send(Component.EMBEDDER, Topics.GENERATIONS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    private static void send(Component component, String topic) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(component, null)) {
            producer.send(new ProducerRecord<>(topic, component.principal(), "{}".getBytes(StandardCharsets.UTF_8)))
                    .get(20, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, byte[]> producer(Component component, String transactionalId) {
        Properties p = new Properties();
        p.putAll(kafka.clientConnection(component.principal(), PASSWORDS.get(component)));
        p.put("max.block.ms", "15000");
        p.put("acks", "all");
        if (transactionalId != null) {
            p.put("transactional.id", transactionalId);
        }
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
