package dev.meadow.generator.service;

import dev.meadow.contracts.BatchCancelled;
import dev.meadow.contracts.Topics;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.service.messaging.FollowedIds;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The batches cancelled so far: every generator follows the {@code batches} topic, so that the requests of a
 * cancelled batch are answered cancelled without being decoded, on whichever instance they land.
 */
@Startup
@ApplicationScoped
public class CancelledBatches {

    private final KafkaTopicsConfig kafka;
    private final ServiceConfig service;

    public CancelledBatches(KafkaTopicsConfig kafka, ServiceConfig service) {
        this.kafka = kafka;
        this.service = service;
    }

    private FollowedIds cancelled;

    @PostConstruct
    void start() {
        cancelled = new FollowedIds(
                kafka.connection(),
                Topics.BATCHES.name(),
                service.instanceId() + "-batches",
                value -> Topics.BATCHES.decode(value) instanceof BatchCancelled c ? c.batchId() : null);
    }

    public boolean isCancelled(String batchId) {
        return cancelled.contains(batchId);
    }

    @PreDestroy
    void stop() {
        cancelled.close();
    }
}
