package dev.meadow.embedder.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.service.config.ServiceConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Tells the system which CLIP model this instance loaded, or refused and why. */
@ApplicationScoped
public class ModelEvents {

    @Inject
    @Channel("model-events")
    MutinyEmitter<Record<String, byte[]>> events;

    @Inject
    ServiceConfig service;

    public void loaded(String modelId) {
        send(ModelLoadEvent.loaded(service.instanceId(), "embedder", ModelKind.CLIP, modelId, Instant.now()));
    }

    public void refused(String modelId, String reason) {
        send(ModelLoadEvent.refused(service.instanceId(), "embedder", ModelKind.CLIP, modelId, reason, Instant.now()));
    }

    private void send(ModelLoadEvent event) {
        events.sendAndForget(Record.of(event.instance(), Topics.MODEL_EVENTS.encode(event)));
    }
}
