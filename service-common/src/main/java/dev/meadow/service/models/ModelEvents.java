package dev.meadow.service.models;

import java.time.Instant;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.service.config.ServiceConfig;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Tells the system which model this instance loaded, or refused and why ({@code model-events}). */
@ApplicationScoped
public class ModelEvents implements ModelLoading.Reporter {

    private final MutinyEmitter<Record<String, byte[]>> events;
    private final ServiceConfig service;
    private final String application;

    public ModelEvents(
            @Channel("model-events") MutinyEmitter<Record<String, byte[]>> events,
            ServiceConfig service,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.events = events;
        this.service = service;
        this.application = application;
    }

    @Override
    public void loaded(ModelKind kind, String modelId) {
        send(ModelLoadEvent.loaded(service.instanceId(), serviceName(), kind, modelId, Instant.now()));
    }

    @Override
    public void refused(ModelKind kind, String modelId, String reason) {
        send(ModelLoadEvent.refused(service.instanceId(), serviceName(), kind, modelId, reason, Instant.now()));
    }

    private String serviceName() {
        return application.startsWith("meadow-") ? application.substring("meadow-".length()) : application;
    }

    private void send(ModelLoadEvent event) {
        events.sendAndForget(Record.of(event.instance(), Topics.MODEL_EVENTS.encode(event)));
    }
}
