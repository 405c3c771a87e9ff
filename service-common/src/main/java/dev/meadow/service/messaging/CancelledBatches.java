package dev.meadow.service.messaging;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.runtime.Startup;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.messaging.TopicFollower;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;

/**
 * The batches cancelled so far: every instance of a service that works on requests follows the {@code batches}
 * topic, so that the requests of a cancelled batch are skipped wherever they are.
 */
@Startup
@ApplicationScoped
public class CancelledBatches {

    @Inject
    KafkaTopicsConfig kafka;

    @Inject
    ServiceConfig service;

    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private TopicFollower follower;

    @PostConstruct
    void start() {
        follower = new TopicFollower(kafka.bootstrapServers(), Topics.BATCHES.name(),
                service.instanceId() + "-batches", record -> {
                    BatchEvent event = Topics.BATCHES.decode(record.value());
                    if (event instanceof BatchCancelled c) {
                        cancelled.add(c.batchId());
                    }
                }).start();
    }

    public boolean isCancelled(String batchId) {
        return cancelled.contains(batchId);
    }

    @PreDestroy
    void stop() {
        follower.close();
    }
}
