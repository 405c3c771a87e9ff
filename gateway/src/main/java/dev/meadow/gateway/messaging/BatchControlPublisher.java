package dev.meadow.gateway.messaging;

import dev.meadow.contracts.BatchEvent;
import dev.meadow.contracts.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Cancellations, on the {@code batches} topic. */
@ApplicationScoped
public class BatchControlPublisher {

    @Inject
    @Channel("batch-control")
    MutinyEmitter<Record<String, byte[]>> batches;

    public Uni<Void> publish(BatchEvent event) {
        return batches.send(Record.of(event.key(), Topics.BATCHES.encode(event)));
    }
}
