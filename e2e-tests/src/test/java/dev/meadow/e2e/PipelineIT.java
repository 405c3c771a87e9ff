package dev.meadow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.contracts.Json;
import dev.meadow.model.cvae.ClipReranker;
import dev.meadow.testing.TinyModels;
import org.junit.jupiter.api.Test;

/** A prompt sent to the gateway becomes a PNG in the object store, through the real services and broker. */
class PipelineIT {

    private static final String[] SUBJECTS = {
        "two brown cows", "a white sheep", "three black horses", "a pastoral landscape", "four white alpacas"
    };
    private static final String[] PLACES = {"on green grass", "in the snow", "in a golden field", "on brown soil"};
    private static final String[] SKIES = {"under a blue sky", "at sunset", "at night", "under a grey sky"};

    @Test
    void twoHundredPromptsBecomeTwoHundredImagesWithTheirParameters() throws Exception {
        LocalStack stack = LocalStack.get();
        List<String> jobs = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String prompt = SUBJECTS[i % 5] + " " + PLACES[(i / 5) % 4] + " " + SKIES[(i / 20) % 4];
            prompts.add(prompt);
            jobs.add(Results.submit(stack, prompt, 1000 + i));
        }
        Map<String, List<GenerationResult>> results = Results.await(stack, jobs, Duration.ofMinutes(3));
        Results.assertExactlyOneSuccessEach(results, jobs);
        for (int i = 0; i < jobs.size(); i++) {
            GenerationResult result = results.get(jobs.get(i)).get(0);
            assertThat(result.prompt()).isEqualTo(prompts.get(i));
            assertThat(result.seed()).isEqualTo(1000 + i);
            assertThat(result.modelVersion()).isNotBlank();
            assertThat(result.clipModelId()).isEqualTo(TinyModels.CLIP_ID);
            assertThat(result.timings().endToEndMillis()).isPositive();
            BufferedImage image = Results.image(stack, result);
            assertThat(image.getWidth()).isEqualTo(32);
            assertThat(image.getHeight()).isEqualTo(32);
            Map<String, String> text = Results.text(stack, result);
            assertThat(text)
                    .containsEntry("prompt", prompts.get(i))
                    .containsEntry("seed", Long.toString(1000 + i))
                    .containsEntry("model", result.modelVersion())
                    .containsEntry("job_id", result.jobId());
            assertThat(text.get("parameters"))
                    .startsWith(prompts.get(i) + "\nSteps: 1, Sampler: CVAE decoder, Seed: " + (1000 + i)
                            + ", Size: 32x32");
        }
        assertThat(stack.store.list(dev.meadow.storage.Bucket.IMAGES, ""))
                .extracting(o -> o.key())
                .containsAll(jobs.stream().map(j -> j + ".png").toList());
    }

    @Test
    void theSamePromptAndSeedGivePixelIdenticalImages() throws Exception {
        LocalStack stack = LocalStack.get();
        String first = Results.submit(stack, "a white sheep on snowy ground at night", 42);
        List<String> noise = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            noise.add(Results.submit(stack, "brown cattle number " + i, i));
        }
        String second = Results.submit(stack, "a white sheep on snowy ground at night", 42);
        Map<String, List<GenerationResult>> results =
                Results.await(stack, List.of(first, second), Duration.ofMinutes(2));
        assertThat(Results.rgb(Results.image(stack, results.get(second).get(0))))
                .isEqualTo(Results.rgb(Results.image(stack, results.get(first).get(0))));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void bestOfNKeepsACandidateWhoseReportedSeedRedrawsItAlone() throws Exception {
        LocalStack stack = LocalStack.get();
        String prompt = "a white sheep in the snow under a blue sky";
        HttpResponse<String> response = stack.post(
                "/api/generations",
                "application/json",
                Json.mapper().writeValueAsString(Map.of("prompt", prompt, "seed", 77, "candidates", 5)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String best = Json.mapper()
                .readTree(response.body())
                .get("jobs")
                .get(0)
                .get("jobId")
                .asText();
        GenerationResult kept = Results.await(stack, List.of(best), Duration.ofMinutes(2))
                .get(best)
                .get(0);
        assertThat(kept.status()).isEqualTo(GenerationResult.Status.SUCCEEDED);
        assertThat(kept.candidates()).isEqualTo(5);
        assertThat(kept.seed())
                .isIn(IntStream.range(0, 5)
                        .mapToObj(c -> ClipReranker.candidateSeed(77, c))
                        .toList());
        assertThat(Results.text(stack, kept)).containsEntry("seed", Long.toString(kept.seed()));

        // The reported seed, submitted as a plain request to the same decoder, draws the same picture.
        response = stack.post(
                "/api/generations",
                "application/json",
                Json.mapper()
                        .writeValueAsString(
                                Map.of("prompt", prompt, "seed", kept.seed(), "modelVersion", kept.modelVersion())));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String redraw = Json.mapper()
                .readTree(response.body())
                .get("jobs")
                .get(0)
                .get("jobId")
                .asText();
        GenerationResult again = Results.await(stack, List.of(redraw), Duration.ofMinutes(2))
                .get(redraw)
                .get(0);
        assertThat(again.candidates()).isNull();
        assertThat(Results.rgb(Results.image(stack, again))).isEqualTo(Results.rgb(Results.image(stack, kept)));
    }
}
