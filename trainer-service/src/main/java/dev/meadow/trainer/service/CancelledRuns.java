package dev.meadow.trainer.service;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.messaging.TopicFollower;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import io.quarkus.runtime.Startup;

/** The training runs cancelled so far, from the {@code training-events} topic. */
@Startup
@ApplicationScoped
public class CancelledRuns {

    @Inject
    KafkaTopicsConfig kafka;

    @Inject
    ServiceConfig service;

    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private TopicFollower follower;

    @PostConstruct
    void start() {
        follower = new TopicFollower(kafka.bootstrapServers(), Topics.TRAINING_EVENTS.name(),
                service.instanceId() + "-cancelled-runs", record -> {
                    TrainingEvent event = Topics.TRAINING_EVENTS.decode(record.value());
                    if (event.type() == TrainingEvent.Type.CANCELLED) {
                        cancelled.add(event.runId());
                    }
                }).start();
    }

    public boolean isCancelled(String runId) {
        return cancelled.contains(runId);
    }

    @PreDestroy
    void stop() {
        follower.close();
    }
}
