package dev.meadow.service.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestTracingTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    // What Quarkus builds: trace context and baggage propagated.
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    private final RequestTracing tracing = new RequestTracing(sdk, false);

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aRequestsTraceCrossesKafkaHeadersIntoItsOwnSpanOfTheBatch() {
        Span submitted = tracing.start("POST /api/generations", Context.root());
        RecordHeaders headers = new RecordHeaders();
        // A client's baggage is the HTTP request's, not the records': it stays out of them.
        try (Scope ignored = Context.root()
                .with(submitted)
                .with(Baggage.builder().put("tenant", "x".repeat(4000)).build())
                .makeCurrent()) {
            tracing.inject(Span.current(), headers);
        }
        submitted.end();
        assertThat(headers.toArray()).extracting(h -> h.key()).containsExactly("traceparent");
        ConsumerRecord<String, byte[]> traced = record("job-1", headers);
        ConsumerRecord<String, byte[]> untraced = record("job-2", new RecordHeaders());

        Map<String, Context> carried = tracing.carriedBy(List.of(traced, untraced));
        assertThat(tracing.carriedBy(traced)).isNotSameAs(Context.root());
        Instant start = Instant.parse("2026-11-30T10:00:00Z");
        Span embedded =
                tracing.finished("embed prompt", carried.get("job-1"), start, start.plusMillis(40), Attributes.empty());
        Span stray =
                tracing.finished("embed prompt", carried.get("job-2"), start, start.plusMillis(40), Attributes.empty());

        SpanData parent = span(submitted);
        SpanData child = span(embedded);
        assertThat(child.getTraceId()).isEqualTo(parent.getTraceId());
        assertThat(child.getParentSpanId()).isEqualTo(parent.getSpanId());
        assertThat(child.getEndEpochNanos() - child.getStartEpochNanos()).isEqualTo(40_000_000L);
        // A record without a trace starts one of its own rather than joining another request's.
        assertThat(span(stray).getTraceId()).isNotEqualTo(parent.getTraceId());
        assertThat(span(stray).getParentSpanContext().isValid()).isFalse();

        // The next hop's headers carry the stage's span, so the next service's spans hang under it.
        Map<String, String> onwards = tracing.headersFor(embedded);
        assertThat(onwards.get("traceparent")).isEqualTo("00-" + parent.getTraceId() + "-" + child.getSpanId() + "-01");
    }

    @Test
    void injectingTwiceLeavesOneTraceparent() {
        RecordHeaders headers = new RecordHeaders();
        Span first = tracing.start("first", Context.root());
        Span second = tracing.start("second", Context.root());
        tracing.inject(first, headers);
        tracing.inject(second, headers);

        assertThat(headers.headers("traceparent")).hasSize(1);
        assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .contains(second.getSpanContext().getSpanId());
    }

    @Test
    void withTracingOffNothingIsRecordedOrWritten() {
        // Quarkus still hands out a recording SDK when quarkus.otel.sdk.disabled is set.
        RequestTracing off = new RequestTracing(sdk, true);
        RecordHeaders headers = new RecordHeaders();
        off.inject(off.start("POST", Context.root()), headers);
        Span span = off.finished(
                "embed prompt",
                off.carriedBy(List.of(record("job-1", headers))).get("job-1"),
                Instant.now(),
                Instant.now(),
                Attributes.empty());

        assertThat(headers.toArray()).isEmpty();
        assertThat(off.headersFor(span)).isEmpty();
        assertThat(span.isRecording()).isFalse();
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    private SpanData span(Span span) {
        return exported.getFinishedSpanItems().stream()
                .filter(s -> s.getSpanId().equals(span.getSpanContext().getSpanId()))
                .findFirst()
                .orElseThrow();
    }

    private static ConsumerRecord<String, byte[]> record(String key, RecordHeaders headers) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("prompts", 0, 0L, key, new byte[0]);
        headers.forEach(h -> record.headers().add(h));
        return record;
    }
}
