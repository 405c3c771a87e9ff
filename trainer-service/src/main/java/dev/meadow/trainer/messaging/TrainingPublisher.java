package dev.meadow.trainer.messaging;

import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.contracts.TrainingEvent;
import dev.meadow.trainer.service.TrainingOutput;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Training progress and published models, each sent and acknowledged before training goes on. */
@ApplicationScoped
public class TrainingPublisher implements TrainingOutput {

    private final MutinyEmitter<Record<String, byte[]>> events;
    private final MutinyEmitter<Record<String, byte[]>> models;

    public TrainingPublisher(
            @Channel("training-events") MutinyEmitter<Record<String, byte[]>> events,
            @Channel("models") MutinyEmitter<Record<String, byte[]>> models) {
        this.events = events;
        this.models = models;
    }

    @Override
    public void event(TrainingEvent event) {
        events.sendAndAwait(Record.of(event.runId(), Topics.TRAINING_EVENTS.encode(event)));
    }

    @Override
    public void model(ModelEvent event) {
        models.sendAndAwait(Record.of(event.key(), Topics.MODELS.encode(event)));
    }
}
