package dev.meadow.gateway.service.readmodel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.meadow.contracts.Topics;
import dev.meadow.messaging.TopicFollower;
import dev.meadow.service.config.KafkaTopicsConfig;
import dev.meadow.service.config.ServiceConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The small part of what the gateway shows (training history, datasets, model events), rebuilt in memory from their
 * topics at every start and followed for as long as it runs. Images and batches, which grow without bound, are in the
 * gallery's database instead ({@code GalleryProjection}).
 */
@Startup
@ApplicationScoped
public class ReadModel {

    private final KafkaTopicsConfig kafka;
    private final ServiceConfig service;

    public ReadModel(KafkaTopicsConfig kafka, ServiceConfig service) {
        this.kafka = kafka;
        this.service = service;
    }

    private final TrainingHistory training = new TrainingHistory();
    private final DatasetQueue datasets = new DatasetQueue(training);
    private final ModelEventLog modelEvents = new ModelEventLog();
    private final List<TopicFollower> followers = new ArrayList<>();

    @PostConstruct
    void start() {
        follow(Topics.TRAINING_EVENTS.name(), r -> training.add(Topics.TRAINING_EVENTS.decode(r.value())));
        follow(Topics.DATASET_SNAPSHOTS.name(), r -> datasets.snapshot(Topics.DATASET_SNAPSHOTS.decode(r.value())));
        follow(Topics.SNAPSHOT_EMBEDDINGS.name(), r -> datasets.embedded(r.key()));
        follow(Topics.DATASET_SNAPSHOTS.deadLetterTopic(), r -> datasets.rejected(r.key(), reason(r)));
        follow(Topics.MODEL_EVENTS.name(), r -> modelEvents.add(Topics.MODEL_EVENTS.decode(r.value())));
    }

    private void follow(String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> handler) {
        followers.add(new TopicFollower(kafka.connection(), topic, service.instanceId() + "-view-" + topic, r -> {
                    if (r.value() != null) {
                        handler.accept(r);
                    }
                })
                .start());
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader(Topics.DEAD_LETTER_REASON);
        return header == null ? "rejected" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Whether every topic has been read up to where it stood when the gateway started. */
    public boolean isCaughtUp() {
        return followers.stream().allMatch(TopicFollower::isCaughtUp);
    }

    /**
     * Why the view is not current, by topic: a topic not read up to where it stood at start, or not being followed
     * now (the broker unreachable, or the thread that followed it dead). Empty while the view is current.
     */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        for (TopicFollower follower : followers) {
            follower.problem()
                    .or(() -> follower.isCaughtUp()
                            ? Optional.empty()
                            : Optional.of("not yet read to where it stood at start"))
                    .ifPresent(problem -> problems.put(follower.topic(), problem));
        }
        return problems;
    }

    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (TopicFollower follower : followers) {
            if (!follower.awaitCaughtUp(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    public TrainingHistory training() {
        return training;
    }

    public DatasetQueue datasets() {
        return datasets;
    }

    public ModelEventLog modelEvents() {
        return modelEvents;
    }

    @PreDestroy
    void stop() {
        followers.forEach(TopicFollower::close);
    }
}
