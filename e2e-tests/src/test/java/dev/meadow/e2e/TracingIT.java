package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
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

    private static final String JOB = "meadow.job.id";

    @Test
    void eachRequestIsOneTraceAcrossGatewayEmbedderAndGenerator() throws Exception {
        LocalStack stack = LocalStack.get();
        // Submitted back to back, so that they are likely to share the embedder's and the generator's batches.
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(Results.submit(stack, "a cow in the snow under a grey sky " + i, 4242 + i));
        }
        Results.assertExactlyOneSuccessEach(Results.await(stack, jobs, Duration.ofMinutes(2)), jobs);

        for (String job : jobs) {
            List<ReceivedSpan> trace = awaitTrace(stack, job);
            Map<String, ReceivedSpan> byId =
                    trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity()));

            assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrder("meadow-gateway", "meadow-embedder", "meadow-generator");
            // The root is the gateway's HTTP request.
            List<ReceivedSpan> roots =
                    trace.stream().filter(ReceivedSpan::isRoot).toList();
            assertThat(roots).hasSize(1);
            assertThat(roots.get(0).service()).isEqualTo("meadow-gateway");
            assertThat(roots.get(0).name()).contains("POST").contains("/api/generations");
            // Only this job's stages: requests that shared a batch each have their own spans in their own traces.
            List<ReceivedSpan> stages = trace.stream()
                    .filter(s -> Set.of("embed prompt", "decode image").contains(s.name()))
                    .toList();
            assertThat(stages).extracting(s -> s.attributes().get(JOB)).containsOnly(job);
            List<ReceivedSpan> embeds = named(trace, "embed prompt");
            Set<String> embedIds = embeds.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
            embeds.forEach(embed -> {
                assertThat(embed.service()).isEqualTo("meadow-embedder");
                assertThat(ancestors(embed, byId)).contains(roots.get(0).spanId());
            });
            // The generator's stages hang under the embedder's. A batch that was rolled back and redelivered shows
            // its stage twice, each under an embedding of this job.
            for (ReceivedSpan stage : concat(named(trace, "decode image"), named(trace, "store image"))) {
                assertThat(stage.service()).isEqualTo("meadow-generator");
                assertThat(embedIds).contains(stage.parentSpanId());
            }
            assertThat(named(trace, "store image"))
                    .allSatisfy(store -> assertThat(store.attributes().get("meadow.image.key"))
                            .contains(job));
            // Connected: no span points at a parent that was never exported.
            trace.stream()
                    .filter(s -> !s.isRoot())
                    .forEach(s -> assertThat(byId).as("parent of %s", s.name()).containsKey(s.parentSpanId()));
        }
        assertThat(stack.traces().refused()).isEmpty();
    }

    /** The job's trace once its root and its upload have arrived: services export in batches. */
    private static List<ReceivedSpan> awaitTrace(LocalStack stack, String job) throws InterruptedException {
        List<ReceivedSpan> trace = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            trace = traceOf(stack.traces().spans(), job);
            if (trace.stream().anyMatch(ReceivedSpan::isRoot)
                    && trace.stream().anyMatch(s -> s.name().equals("store image"))) {
                return trace;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the trace of " + job + " did not arrive whole: " + trace);
    }

    /** Every span of the trace that this job's embedding belongs to. */
    private static List<ReceivedSpan> traceOf(List<ReceivedSpan> spans, String job) {
        Set<String> traceIds = spans.stream()
                .filter(s -> s.name().equals("embed prompt")
                        && job.equals(s.attributes().get(JOB)))
                .map(ReceivedSpan::traceId)
                .collect(Collectors.toSet());
        return spans.stream().filter(s -> traceIds.contains(s.traceId())).toList();
    }

    private static List<ReceivedSpan> named(List<ReceivedSpan> trace, String name) {
        List<ReceivedSpan> named =
                trace.stream().filter(s -> s.name().equals(name)).toList();
        assertThat(named).as("spans named %s in %s", name, trace).isNotEmpty();
        return named;
    }

    private static List<ReceivedSpan> concat(List<ReceivedSpan> first, List<ReceivedSpan> second) {
        List<ReceivedSpan> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static List<String> ancestors(ReceivedSpan span, Map<String, ReceivedSpan> byId) {
        List<String> chain = new ArrayList<>();
        ReceivedSpan at = span;
        while (!at.isRoot() && byId.containsKey(at.parentSpanId())) {
            chain.add(at.parentSpanId());
            at = byId.get(at.parentSpanId());
        }
        return chain;
    }
}
