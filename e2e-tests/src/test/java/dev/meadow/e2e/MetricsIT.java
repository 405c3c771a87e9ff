package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.contracts.Json;
import org.junit.jupiter.api.Test;

/** After a small batch, every service's {@code /q/metrics} has counted it, in counters and histograms alike. */
class MetricsIT {

    /** A sample line; with tracing on, a sample taken inside a trace ends with its exemplar ({@code # {trace_id=..}}). */
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)(?: # \\{.*)?$");

    private static final Pattern METRIC = Pattern.compile("meadow_[a-z_]+");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aBatchOfFiveIsCountedByEveryServiceOnItsWay() throws Exception {
        LocalStack stack = LocalStack.get();
        Scrape before = settled(stack);

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(Results.submit(stack, "a sheep on a green hill " + i, 500 + i));
        }
        Results.assertExactlyOneSuccessEach(Results.await(stack, jobs, Duration.ofMinutes(2)), jobs);
        Scrape after = Scrape.of(stack);

        assertThat(gained(before, after, s -> s.gateway("meadow_gateway_prompts_submitted_total", "")))
                .isEqualTo(5);
        assertThat(gained(before, after, s -> s.embedder("meadow_embedder_prompts_total", "")))
                .isEqualTo(5);
        assertThat(gained(before, after, s -> s.embedder("meadow_embedder_encode_seconds_count", "")))
                .isBetween(1.0, 5.0);
        assertThat(gained(before, after, s -> s.embedder("meadow_embedder_encode_batch_prompts_sum", "")))
                .isEqualTo(5);
        assertThat(gained(before, after, s -> s.generators("meadow_generator_images_total", "status=\"succeeded\"")))
                .isEqualTo(5);
        for (String perImage : List.of(
                "meadow_generator_decode_batch_prompts_sum",
                "meadow_generator_upload_seconds_count",
                "meadow_generator_png_encode_seconds_count")) {
            assertThat(gained(before, after, s -> s.generators(perImage, "")))
                    .as(perImage)
                    .isEqualTo(5);
        }
        // Histograms, not just totals: the +Inf bucket of decode time counts every decode.
        assertThat(after.generators("meadow_generator_decode_seconds_bucket", "le=\"+Inf\""))
                .isEqualTo(after.generators("meadow_generator_decode_seconds_count", ""))
                .isPositive();
        assertThat(after.generators("meadow_models_loaded_total", "kind=\"cvae\""))
                .isPositive();
        assertThat(after.embedder("meadow_models_loaded_total", "kind=\"clip\""))
                .isPositive();

        // The generators' lag drains to at most one transaction marker per partition of `embeddings` (24).
        double lag = Double.NaN;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            lag = Scrape.of(stack).gateway("meadow_consumer_lag", "group=\"meadow-generator\"");
            if (lag <= 24) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(lag).isBetween(0.0, 24.0);
    }

    @Test
    void everyMetricTheDashboardQueriesIsServed() throws Exception {
        LocalStack stack = LocalStack.get();
        Path dashboard = Path.of(System.getProperty("meadow.root", ".."), "observability", "grafana", "meadow.json");
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : Json.mapper().readTree(dashboard.toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        StringBuilder served = new StringBuilder();
        for (var component : stack.running()) {
            served.append(Scrape.metrics(component.address()));
        }
        Set<String> names = new TreeSet<>();
        for (String line : served.toString().split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        assertThat(names).containsAll(queried);
    }

    private static double gained(Scrape before, Scrape after, ToDoubleFunction<Scrape> metric) {
        return metric.applyAsDouble(after) - metric.applyAsDouble(before);
    }

    /**
     * A scrape once the pipeline is idle: work that earlier tests left in flight (and never waited for) must not be
     * counted as this test's. Idle: no generator answered anything for three seconds.
     */
    private static Scrape settled(LocalStack stack) throws Exception {
        Scrape last = Scrape.of(stack);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(3000);
            Scrape now = Scrape.of(stack);
            if (now.generators("meadow_generator_images_total", "")
                            == last.generators("meadow_generator_images_total", "")
                    && now.embedder("meadow_embedder_prompts_total", "")
                            == last.embedder("meadow_embedder_prompts_total", "")) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the pipeline did not settle within 2 minutes");
    }

    /** The metrics of the gateway, the embedder and every generator, read at one moment. */
    private record Scrape(String gateway, String embedder, List<String> generators) {

        static Scrape of(LocalStack stack) throws Exception {
            List<String> generators = new ArrayList<>();
            for (var component : stack.running()) {
                if (component.name().startsWith("generator")) {
                    generators.add(metrics(component.address()));
                }
            }
            return new Scrape(
                    metrics(stack.components.get("gateway").address()),
                    metrics(stack.components.get("embedder").address()),
                    generators);
        }

        double gateway(String name, String labels) {
            return sum(gateway, name, labels);
        }

        double embedder(String name, String labels) {
            return sum(embedder, name, labels);
        }

        double generators(String name, String labels) {
            return generators.stream().mapToDouble(g -> sum(g, name, labels)).sum();
        }

        static String metrics(String address) throws Exception {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(address + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }

        /** The sum of the samples of {@code name} whose labels contain {@code labels}; 0 when there are none. */
        private static double sum(String body, String name, String labels) {
            double sum = 0;
            for (String line : body.split("\n")) {
                Matcher m = SAMPLE.matcher(line.strip());
                if (m.matches() && m.group(1).equals(name) && (m.group(2) == null ? "" : m.group(2)).contains(labels)) {
                    sum += Double.parseDouble(m.group(3));
                }
            }
            return sum;
        }
    }
}
