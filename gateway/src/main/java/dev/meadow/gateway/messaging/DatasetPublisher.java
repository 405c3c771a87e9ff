package dev.meadow.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Queues stored snapshots on {@code dataset-snapshots}. */
@ApplicationScoped
public class DatasetPublisher {

    @Inject
    @Channel("dataset-snapshots")
    MutinyEmitter<Record<String, byte[]>> snapshots;

    /** Returns once the broker has the record. */
    public void publish(DatasetSnapshot snapshot) {
        snapshots.sendAndAwait(Record.of(snapshot.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(snapshot)));
    }
}
