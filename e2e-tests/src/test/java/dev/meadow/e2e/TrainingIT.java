package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.meadow.contracts.ConditioningMode;
import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.contracts.TrainingRequest;
import dev.meadow.devstack.TopicInspector;
import dev.meadow.devstack.TopicWriter;
import dev.meadow.storage.Bucket;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Test;

/** A queued snapshot is embedded and trained; the trainer is killed mid-run and resumes from its checkpoint. */
class TrainingIT {

    @Test
    void aKilledTrainerResumesFromItsLastCheckpoint() throws Exception {
        LocalStack stack = LocalStack.get();
        stack.store.uploadDirectory(
                TinyModels.get().snapshot(),
                Bucket.DATASETS,
                stack.store.layout().snapshotPrefix("snap-e2e"));
        DatasetSnapshot snapshot = DatasetSnapshot.of(
                "snap-e2e",
                "tiny e2e",
                "pastoral-synth",
                160,
                800,
                32,
                new TrainingRequest("tiny-32", ConditioningMode.IMAGE, 8, 16, 1e-3, 5, 0.1, false, null),
                Instant.now());
        try (TopicWriter writer = new TopicWriter(stack.kafkaAdmin())) {
            writer.send(
                    Topics.DATASET_SNAPSHOTS.name(), snapshot.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(snapshot));
        }
        events(stack, e -> e.stream().anyMatch(x -> x.type() == TrainingEvent.Type.EPOCH && x.epoch() >= 2));
        stack.kill("trainer");
        stack.restart("trainer");

        List<TrainingEvent> events =
                events(stack, e -> e.stream().anyMatch(x -> x.type() == TrainingEvent.Type.FINISHED));
        assertThat(events)
                .extracting(TrainingEvent::type)
                .contains(TrainingEvent.Type.STARTED, TrainingEvent.Type.RESUMED, TrainingEvent.Type.FINISHED);
        TrainingEvent resumed = events.stream()
                .filter(e -> e.type() == TrainingEvent.Type.RESUMED)
                .findFirst()
                .orElseThrow();
        assertThat(resumed.epoch()).as("resumed after the checkpointed epochs").isGreaterThan(1);
        Map<Integer, List<TrainingEvent>> byEpoch = events.stream()
                .filter(e -> e.type() == TrainingEvent.Type.EPOCH)
                .collect(Collectors.groupingBy(TrainingEvent::epoch));
        assertThat(byEpoch.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        byEpoch.forEach((epoch, same) -> assertThat(same)
                .extracting(TrainingEvent::train)
                .as("an epoch reported twice is the same epoch")
                .containsOnly(same.get(0).train()));

        String modelId = events.get(events.size() - 1).modelVersion();
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            assertThat(inspector.readAll(Topics.MODELS.name()).stream().map(r -> Topics.MODELS.decode(r.value())))
                    .anySatisfy(m -> {
                        assertThat(m).isInstanceOf(ModelPublished.class);
                        assertThat(m.modelId()).isEqualTo(modelId);
                    });
        }
    }

    private static List<TrainingEvent> events(LocalStack stack, Predicate<List<TrainingEvent>> until) {
        try (TopicInspector inspector = new TopicInspector(stack.kafkaAdmin())) {
            var records =
                    inspector.await(Topics.TRAINING_EVENTS.name(), r -> until.test(ofRun(r)), Duration.ofMinutes(4));
            return ofRun(records);
        }
    }

    private static List<TrainingEvent> ofRun(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> r) {
        return r.stream()
                .filter(x -> "run-snap-e2e".equals(x.key()))
                .map(x -> Topics.TRAINING_EVENTS.decode(x.value()))
                .toList();
    }
}
