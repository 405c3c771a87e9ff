package dev.meadow.service.models;

import java.time.Instant;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.service.config.ServiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Tells the system which model this instance loaded, or refused and why ({@code model-events}), and counts both on
 * {@code /q/metrics} ({@code meadow_models_loaded_total}, {@code meadow_models_refused_total}, by kind).
 */
@ApplicationScoped
public class ModelEvents implements ModelLoading.Reporter {

    private final MutinyEmitter<Record<String, byte[]>> events;
    private final ServiceConfig service;
    private final String application;
    private final MeterRegistry metrics;

    public ModelEvents(
            @Channel("model-events") MutinyEmitter<Record<String, byte[]>> events,
            ServiceConfig service,
            @ConfigProperty(name = "quarkus.application.name") String application,
            MeterRegistry metrics) {
        this.events = events;
        this.service = service;
        this.application = application;
        this.metrics = metrics;
    }

    @Override
    public void loaded(ModelKind kind, String modelId) {
        count("meadow.models.loaded", "Models this instance swapped in", kind);
        send(ModelLoadEvent.loaded(service.instanceId(), serviceName(), kind, modelId, Instant.now()));
    }

    @Override
    public void refused(ModelKind kind, String modelId, String reason) {
        count("meadow.models.refused", "Published models this instance would not serve with", kind);
        send(ModelLoadEvent.refused(service.instanceId(), serviceName(), kind, modelId, reason, Instant.now()));
    }

    private void count(String name, String description, ModelKind kind) {
        Counter.builder(name)
                .description(description)
                .tag("kind", kind.id())
                .register(metrics)
                .increment();
    }

    private String serviceName() {
        return application.startsWith("meadow-") ? application.substring("meadow-".length()) : application;
    }

    private void send(ModelLoadEvent event) {
        events.sendAndForget(Record.of(event.instance(), Topics.MODEL_EVENTS.encode(event)));
    }
}
