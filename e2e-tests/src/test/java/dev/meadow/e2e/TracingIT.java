package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.meadow.e2e.TraceCollector.ReceivedSpan;
import org.junit.jupiter.api.Test;

/**
 * One request, one trace: the gateway's HTTP request, the embedder's encoding, the generator's decoding and its
 * upload, joined through the trace context that Kafka headers carry. The stack exports to {@link TraceCollector}.
 */
class TracingIT {

    @Test
    void oneRequestIsOneTraceAcrossGatewayEmbedderAndGenerator() throws Exception {
        LocalStack stack = LocalStack.get();
        String job = Results.submit(stack, "a cow in the snow under a grey sky", 4242);
        Results.assertExactlyOneSuccessEach(Results.await(stack, List.of(job), Duration.ofMinutes(2)), List.of(job));

        // The services export in batches: wait until the last stage of this job has arrived.
        List<ReceivedSpan> trace = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            trace = traceOf(stack.traces().spans(), job);
            if (trace.stream().anyMatch(s -> s.name().equals("store image"))) {
                break;
            }
            Thread.sleep(250);
        }
        Map<String, ReceivedSpan> byId =
                trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));
        assertThat(stack.traces().refused()).isEmpty();
        ReceivedSpan embed = only(trace, "embed prompt");
        ReceivedSpan decode = only(trace, "decode image");
        ReceivedSpan store = only(trace, "store image");

        assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("meadow-gateway", "meadow-embedder", "meadow-generator");
        // The root is the gateway's HTTP request; the embedder's span hangs under it.
        ReceivedSpan root =
                trace.stream().filter(ReceivedSpan::isRoot).findFirst().orElseThrow();
        assertThat(root.service()).isEqualTo("meadow-gateway");
        assertThat(root.name()).contains("POST").contains("/api/generations");
        assertThat(ancestors(embed, byId)).contains(root.spanId());
        assertThat(embed.service()).isEqualTo("meadow-embedder");
        // The generator's stages hang under the embedder's.
        assertThat(decode.parentSpanId()).isEqualTo(embed.spanId());
        assertThat(store.parentSpanId()).isEqualTo(embed.spanId());
        assertThat(decode.service()).isEqualTo("meadow-generator");
        assertThat(store.attributes().get("meadow.image.key")).contains(job);
        // Every span of the trace is connected: none points at a parent that was never exported.
        trace.stream()
                .filter(s -> !s.isRoot())
                .forEach(s -> assertThat(byId).as("parent of %s", s.name()).containsKey(s.parentSpanId()));
    }

    /** Every span of the trace that this job's embedding span belongs to. */
    private static List<ReceivedSpan> traceOf(List<ReceivedSpan> spans, String job) {
        Set<String> traceIds = spans.stream()
                .filter(s -> s.name().equals("embed prompt")
                        && job.equals(s.attributes().get("meadow.job.id")))
                .map(ReceivedSpan::traceId)
                .collect(Collectors.toSet());
        return spans.stream().filter(s -> traceIds.contains(s.traceId())).toList();
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String name) {
        List<ReceivedSpan> named =
                trace.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named %s in %s", name, trace).hasSize(1);
        return named.get(0);
    }

    private static List<String> ancestors(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
        List<String> chain = new java.util.ArrayList<>();
        ReceivedSpan at = span;
        while (!at.isRoot() && byId.containsKey(at.parentSpanId())) {
            chain.add(at.parentSpanId());
            at = byId.get(at.parentSpanId());
        }
        return chain;
    }
}
