package dev.meadow.gateway.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Puts generation requests on the {@code prompts} topic, keyed by job id. */
@ApplicationScoped
public class PromptPublisher {

    @Inject
    @Channel("prompts")
    MutinyEmitter<Record<String, byte[]>> prompts;

    /** Completes when the broker has acknowledged every request. */
    public Uni<Void> publish(List<GenerationRequest> requests) {
        // Encode everything first: an invalid request fails the call before anything is sent.
        List<Record<String, byte[]>> records = requests.stream()
                .map(r -> Record.of(r.jobId(), Topics.PROMPTS.encode(r)))
                .toList();
        return Uni.join().all(records.stream().map(prompts::send).toList()).andFailFast().replaceWithVoid();
    }
}
