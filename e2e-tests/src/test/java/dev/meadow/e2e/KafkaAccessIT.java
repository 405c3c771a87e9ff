package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.meadow.contracts.Component;
import dev.meadow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The running stack's broker, as the services use it: nobody gets in without a login, and a component's login
 * writes only what {@code Topics} lets it (the services themselves run with these logins in every other test).
 */
class KafkaAccessIT {

    @Test
    void aClientWithoutALoginGetsNothing() throws Exception {
        LocalStack stack = LocalStack.get();
        Map<String, Object> anonymous = new HashMap<>();
        anonymous.put("bootstrap.servers", stack.devstack.kafkaClientBootstrap());
        anonymous.put("default.api.timeout.ms", 5000);
        anonymous.put("request.timeout.ms", 3000);
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
        }
    }

    @Test
    void theEmbeddersLoginCannotForgeAResultNorTheGeneratorsAModel() throws Exception {
        LocalStack stack = LocalStack.get();
        assertThatThrownBy(() -> send(stack.kafkaLogin(Component.EMBEDDER), Topics.GENERATIONS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(stack.kafkaLogin(Component.GENERATOR), Topics.MODELS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(stack.kafkaLogin(Component.TRAINER), Topics.PROMPTS.name()))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(stack.get("/api/images/e2e-forged-result").statusCode()).isEqualTo(404);
    }

    private static void send(Map<String, Object> login, String topic) throws Exception {
        Properties p = new Properties();
        p.putAll(login);
        p.put("max.block.ms", "10000");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            topic, "e2e-forged-result", "{\"forged\":true}".getBytes(StandardCharsets.UTF_8)))
                    .get(15, TimeUnit.SECONDS);
        }
    }
}
