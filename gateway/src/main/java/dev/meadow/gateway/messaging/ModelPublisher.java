package dev.meadow.gateway.messaging;

import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Writes to the compacted {@code models} topic (activations made through the API). */
@ApplicationScoped
public class ModelPublisher {

    private final MutinyEmitter<Record<String, byte[]>> models;

    public ModelPublisher(@Channel("models") MutinyEmitter<Record<String, byte[]>> models) {
        this.models = models;
    }

    public Uni<Void> publish(ModelEvent event) {
        return models.send(Record.of(event.key(), Topics.MODELS.encode(event)));
    }
}
