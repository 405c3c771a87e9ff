package dev.meadow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicReplicationTest {

    @Test
    void aClusterKeepsThreeCopiesAndNeedsTwo() {
        Map<String, String> config = TopicProvisioner.withReplication(
                Map.of("cleanup.policy", "compact"), new TopicReplication((short) 3, 2));
        assertThat(config).containsEntry("cleanup.policy", "compact").containsEntry("min.insync.replicas", "2");
    }

    @Test
    void refusesMoreRequiredCopiesThanKept() {
        assertThatThrownBy(() -> new TopicReplication((short) 1, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> new TopicReplication((short) 0, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
