package dev.meadow.service.messaging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.meadow.messaging.TopicFollower;

/** The ids a topic has named so far (cancelled batches, cancelled runs), followed from its beginning. */
public final class FollowedIds implements AutoCloseable {

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final TopicFollower follower;

    /** {@code idOf} reads a record's value and gives the id it names, or null when it names none. */
    public FollowedIds(
            java.util.Map<String, Object> connection, String topic, String clientId, Function<byte[], String> idOf) {
        follower = new TopicFollower(connection, topic, clientId, record -> {
                    String id = idOf.apply(record.value());
                    if (id != null) {
                        ids.add(id);
                    }
                })
                .start();
    }

    public boolean contains(String id) {
        return ids.contains(id);
    }

    @Override
    public void close() {
        follower.close();
    }
}
