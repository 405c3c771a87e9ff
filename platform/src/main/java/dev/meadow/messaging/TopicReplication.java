package dev.meadow.messaging;

/**
 * How many copies of each Meadow topic the brokers keep, and how many must have a write before it counts: one and
 * one on a single broker ({@code meadow up}), three and two on a cluster, so that losing one broker loses nothing and
 * stops nothing.
 */
public record TopicReplication(short factor, int minInsyncReplicas) {

    public static final TopicReplication SINGLE_BROKER = new TopicReplication((short) 1, 1);

    public TopicReplication {
        if (factor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, was " + factor);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > factor) {
            throw new IllegalArgumentException("min.insync.replicas must be between 1 and the replication factor "
                    + factor + ", was " + minInsyncReplicas);
        }
    }
}
