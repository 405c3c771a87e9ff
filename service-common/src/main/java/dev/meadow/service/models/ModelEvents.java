package dev.meadow.service.models;

import java.time.Instant;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.contracts.Topics;
import dev.meadow.service.config.ServiceConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Tells the system which model this instance loaded, or refused and why ({@code model-events}), and counts both on
 * {@code /q/metrics} ({@code meadow_models_loaded_total}, {@code meadow_models_refused_total}, by kind).
 */
@Startup
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
        // Every series from the start, at 0: a rate over a series that appears only with its first event is empty.
        for (ModelKind kind : ModelKind.values()) {
            loadedCounter(kind);
            refusedCounter(kind);
        }
    }

    @Override
    public void loaded(ModelKind kind, String modelId) {
        loadedCounter(kind).increment();
        send(ModelLoadEvent.loaded(service.instanceId(), serviceName(), kind, modelId, Instant.now()));
    }

    @Override
    public void refused(ModelKind kind, String modelId, String reason) {
        refusedCounter(kind).increment();
        send(ModelLoadEvent.refused(service.instanceId(), serviceName(), kind, modelId, reason, Instant.now()));
    }

    private Counter loadedCounter(ModelKind kind) {
        return Counter.builder("meadow.models.loaded")
                .description("Models this instance swapped in")
                .tag("kind", kind.id())
                .register(metrics);
    }

    private Counter refusedCounter(ModelKind kind) {
        return Counter.builder("meadow.models.refused")
                .description("Published models this instance would not serve with")
                .tag("kind", kind.id())
                .register(metrics);
    }

    private String serviceName() {
        return application.startsWith("meadow-") ? application.substring("meadow-".length()) : application;
    }

    private void send(ModelLoadEvent event) {
        events.sendAndForget(Record.of(event.instance(), Topics.MODEL_EVENTS.encode(event)));
    }
}
