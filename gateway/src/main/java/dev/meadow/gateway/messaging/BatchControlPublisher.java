package dev.meadow.gateway.messaging;

import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Cancellations, on the {@code batches} topic. */
@ApplicationScoped
public class BatchControlPublisher {

    private final MutinyEmitter<Record<String, byte[]>> batches;

    public BatchControlPublisher(@Channel("batch-control") MutinyEmitter<Record<String, byte[]>> batches) {
        this.batches = batches;
    }

    public Uni<Void> publish(BatchEvent event) {
        return batches.send(Record.of(event.key(), Topics.BATCHES.encode(event)));
    }
}
