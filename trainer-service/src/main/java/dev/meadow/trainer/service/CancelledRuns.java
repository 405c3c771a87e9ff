package dev.meadow.trainer.service;

import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import dev.meadow.service.messaging.FollowedIds;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** The training runs cancelled so far, from the {@code training-events} topic. */
@Startup
@ApplicationScoped
public class CancelledRuns {

    private final KafkaTopicsConfig kafka;
    private final ServiceConfig service;

    public CancelledRuns(KafkaTopicsConfig kafka, ServiceConfig service) {
        this.kafka = kafka;
        this.service = service;
    }

    private FollowedIds cancelled;

    @PostConstruct
    void start() {
        cancelled = new FollowedIds(
                kafka.connection(), Topics.TRAINING_EVENTS.name(), service.instanceId() + "-cancelled-runs", value -> {
                    TrainingEvent event = Topics.TRAINING_EVENTS.decode(value);
                    return event.type() == TrainingEvent.Type.CANCELLED ? event.runId() : null;
                });
    }

    public boolean isCancelled(String runId) {
        return cancelled.contains(runId);
    }

    @PreDestroy
    void stop() {
        cancelled.close();
    }
}
