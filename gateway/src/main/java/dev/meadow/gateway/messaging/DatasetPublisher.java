package dev.meadow.gateway.messaging;

import dev.meadow.contracts.DatasetSnapshot;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Queues stored snapshots on {@code dataset-snapshots}, and cancels their training on {@code training-events}. */
@ApplicationScoped
public class DatasetPublisher {

    private final MutinyEmitter<Record<String, byte[]>> snapshots;
    private final MutinyEmitter<Record<String, byte[]>> training;
    private final GatewayConfig config;

    public DatasetPublisher(
            @Channel("dataset-snapshots") MutinyEmitter<Record<String, byte[]>> snapshots,
            @Channel("training-control") MutinyEmitter<Record<String, byte[]>> training,
            GatewayConfig config) {
        this.snapshots = snapshots;
        this.training = training;
        this.config = config;
    }

    /** Returns once the broker has the record. */
    public void publish(DatasetSnapshot snapshot) {
        await(
                snapshots.send(Record.of(snapshot.snapshotId(), Topics.DATASET_SNAPSHOTS.encode(snapshot))),
                "snapshot " + snapshot.snapshotId());
    }

    /** A cancellation for the trainer (on {@code training-events}); returns once the broker has it. */
    public void publish(TrainingEvent event) {
        await(
                training.send(Record.of(event.runId(), Topics.TRAINING_EVENTS.encode(event))),
                "the cancellation of " + event.snapshotId());
    }

    /** A broker that does not answer in time is an outage (503), not a request held for minutes. */
    private void await(Uni<Void> sent, String what) {
        try {
            sent.await().atMost(config.brokerTimeout());
        } catch (TimeoutException e) {
            throw new ServiceUnavailableException("the message broker did not take " + what + " within "
                    + config.brokerTimeout().toSeconds() + " s; try again shortly");
        }
    }
}
