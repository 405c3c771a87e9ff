package dev.meadow.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Queues stored snapshots on {@code dataset-snapshots}, and cancels their training on {@code training-events}. */
@ApplicationScoped
public class DatasetPublisher {

    @Inject
    @Channel("dataset-snapshots")
    MutinyEmitter<Record<String, byte[]>> snapshots;

    @Inject
    @Channel("training-control")
    MutinyEmitter<Record<String, byte[]>> training;

    /** Returns once the broker has the record. */
    public void publish(DatasetSnapshot snapshot) {
        snapshots.sendAndAwait(Record.of(snapshot.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(snapshot)));
    }

    /** A cancellation for the trainer (on {@code training-events}); returns once the broker has it. */
    public void publish(TrainingEvent event) {
        training.sendAndAwait(Record.of(event.runId(), Topics.TRAINING_EVENTS.encode(event)));
    }
}
