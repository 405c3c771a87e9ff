package dev.meadow.service.tracing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Follows each generation request through the services: its trace context travels in Kafka record headers (W3C
 * {@code traceparent}), and each stage that a batch went through becomes a span of every request's own trace,
 * timed by the batch. Batches mix requests of many users, so one span per batch would belong to no request's
 * trace. Records are keyed by job id. With the OpenTelemetry SDK disabled (the default) every span is a no-op and
 * no header is written: Quarkus still builds an SDK then, one that records spans and propagates their context, only
 * to export nothing.
 */
@ApplicationScoped
public class RequestTracing {

    /** Span attributes every service names the same way, so that a job's or a batch's trace can be searched for. */
    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("meadow.job.id");

    public static final AttributeKey<String> BATCH_ID = AttributeKey.stringKey("meadow.batch.id");
    /** How many requests shared the batch (or chunk) a stage ran in. */
    public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");

    private static final TextMapGetter<Headers> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            if (headers == null) {
                return keys;
            }
            for (Header header : headers) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    @Inject
    public RequestTracing(
            OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        OpenTelemetry used = disabled ? OpenTelemetry.noop() : openTelemetry;
        this.tracer = used.getTracer("dev.meadow");
        this.propagator = used.getPropagators().getTextMapPropagator();
    }

    /** The trace context a record carries; the root context when it carries none. */
    public Context carriedBy(ConsumerRecord<?, ?> record) {
        return propagator.extract(Context.root(), record.headers(), KAFKA_HEADERS);
    }

    /** The trace context of each record of a batch, by record key (the job id). */
    public Map<String, Context> carriedBy(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Context> contexts = new HashMap<>(records.size() * 2);
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.key() != null) {
                contexts.put(record.key(), carriedBy(record));
            }
        }
        return contexts;
    }

    /** A stage that has already happened, as a finished span under {@code parent}. */
    public Span finished(String name, Context parent, Instant start, Instant end, Attributes attributes) {
        Span span = tracer.spanBuilder(name)
                .setParent(parent == null ? Context.root() : parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(start)
                .setAllAttributes(attributes)
                .startSpan();
        span.end(end);
        return span;
    }

    /** A stage starting now under {@code parent}; the caller ends it. */
    public Span start(String name, Context parent) {
        return tracer.spanBuilder(name)
                .setParent(parent == null ? Context.root() : parent)
                .startSpan();
    }

    /** The headers that carry a span's trace on to the next service; none when tracing is off. */
    public Map<String, String> headersFor(Span span) {
        Map<String, String> headers = new LinkedHashMap<>(2);
        propagator.inject(Context.root().with(span), headers, Map::put);
        return headers;
    }

    /**
     * Writes a span's trace (in the gateway, the HTTP request's) into a record's headers. Only the span: a client's
     * {@code baggage} header, up to kilobytes, would otherwise be copied into every record of its batch.
     */
    public void inject(Span span, Headers headers) {
        propagator.inject(
                Context.root().with(span),
                headers,
                (carrier, key, value) -> carrier.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
