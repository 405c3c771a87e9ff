package dev.meadow.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    private static final TopicPartition P0 = new TopicPartition("prompts", 0);
    private static final TopicPartition P1 = new TopicPartition("prompts", 1);
    private static final TopicPartition P2 = new TopicPartition("prompts", 2);

    @Test
    void countsFromTheCommittedPositionOrFromTheStartOfAPartitionNeverCommitted() {
        long lag = ConsumerLag.lag(
                List.of(P0, P1, P2),
                Map.of(P0, new OffsetAndMetadata(90), P1, new OffsetAndMetadata(40)),
                Map.of(P0, 0L, P1, 0L, P2, 10L),
                Map.of(P0, 100L, P1, 40L, P2, 35L));
        assertThat(lag).isEqualTo(10 + 0 + 25);
    }

    @Test
    void recordsDeletedByRetentionAreNotLag() {
        assertThat(ConsumerLag.lag(
                        List.of(P0), Map.of(P0, new OffsetAndMetadata(10)), Map.of(P0, 70L), Map.of(P0, 100L)))
                .isEqualTo(30);
    }

    @Test
    void aPositionPastTheEndIsNoLagAtAll() {
        assertThat(ConsumerLag.lag(
                        List.of(P0), Map.of(P0, new OffsetAndMetadata(120)), Map.of(P0, 0L), Map.of(P0, 100L)))
                .isZero();
    }

    @Test
    void eachMeasuredPairNamesAGroupAndATopic() {
        assertThat(ConsumerLag.GroupTopic.parse(" meadow-generator : embeddings"))
                .isEqualTo(new ConsumerLag.GroupTopic("meadow-generator", "embeddings"));
        assertThatThrownBy(() -> ConsumerLag.GroupTopic.parse("meadow-generator"))
                .hasMessageContaining("is not group:topic");
    }
}
