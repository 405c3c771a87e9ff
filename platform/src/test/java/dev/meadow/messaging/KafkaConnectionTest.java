package dev.meadow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    @Test
    void aComponentLogsInWithScramAndTrustsTheGivenCertificateOverTls() {
        KafkaConnection connection = KafkaConnection.fromEnvironment(
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092",
                        "MEADOW_KAFKA_USERNAME", "generator",
                        "MEADOW_KAFKA_PASSWORD", "s3cret",
                        "MEADOW_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                        "MEADOW_KAFKA_TRUSTSTORE", "/etc/meadow/kafka/ca.pem")::get,
                null);
        assertThat(connection.properties())
                .containsEntry("bootstrap.servers", "kafka-1:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"generator\""
                                + " password=\"s3cret\";")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", "/etc/meadow/kafka/ca.pem");
        assertThat(connection.toString()).doesNotContain("s3cret");
    }

    @Test
    void withoutTlsNoTrustStoreIsNamed() {
        Map<String, Object> properties =
                KafkaConnection.scram("127.0.0.1:9092", "gateway", "pw").properties();
        assertThat(properties)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .doesNotContainKey("ssl.truststore.location");
    }

    @Test
    void aMissingLoginOrAnUnknownProtocolIsRefusedWithItsName() {
        assertThatThrownBy(
                        () -> KafkaConnection.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")::get, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MEADOW_KAFKA_USERNAME");
        assertThatThrownBy(() -> new KafkaConnection("k:9092", "PLAINTEXT", "PLAIN", "u", "p", Optional.empty()))
                .hasMessageContaining("SASL_PLAINTEXT or SASL_SSL");
    }

    @Test
    void aPasswordThatWouldBreakOutOfItsJaasLineIsRefused() {
        assertThatThrownBy(() -> KafkaConnection.scram("k:9092", "gateway", "pw\"; admin=\"x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quotes");
    }
}
