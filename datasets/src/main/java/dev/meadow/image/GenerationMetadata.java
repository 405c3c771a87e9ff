package dev.meadow.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.meadow.contracts.Towards;

/**
 * The parameters a generated PNG carries in its text chunks: Meadow's own keys, plus an A1111-style
 * {@code parameters} chunk (prompt line, then "Key: value" pairs) that image tools already read.
 *
 * @param conditionNoise how far the picture's condition was drawn from the prompt's; 0 or null is not written
 * @param priorModelId the prior that drew the picture's condition, or null when none did
 */
public record GenerationMetadata(
        String prompt,
        long seed,
        int width,
        int height,
        String modelVersion,
        String clipModelId,
        String conditioning,
        String jobId,
        Towards towards,
        Double conditionNoise,
        String priorModelId) {

    public GenerationMetadata(
            String prompt,
            long seed,
            int width,
            int height,
            String modelVersion,
            String clipModelId,
            String conditioning,
            String jobId) {
        this(prompt, seed, width, height, modelVersion, clipModelId, conditioning, jobId, null, null, null);
    }

    public Map<String, String> textChunks() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("prompt", prompt);
        text.put("seed", Long.toString(seed));
        text.put("model", modelVersion);
        text.put("clip_model", clipModelId);
        if (jobId != null) {
            text.put("job_id", jobId);
        }
        if (towards != null) {
            text.put("towards", towards.prompt());
            text.put("towards_weight", String.format(Locale.ROOT, "%.4f", towards.weight()));
        }
        if (noisy()) {
            text.put("condition_noise", String.format(Locale.ROOT, "%.4f", conditionNoise));
        }
        if (priorModelId != null) {
            text.put("prior_model", priorModelId);
        }
        text.put("parameters", a1111Parameters());
        text.put("Software", "Meadow");
        return text;
    }

    /** {@code <prompt>\nSteps: 1, Sampler: CVAE decoder, Seed: 7, Size: 64x64, Model: ..., ...}. */
    public String a1111Parameters() {
        return prompt.replace('\n', ' ') + "\n"
                + String.format(
                        Locale.ROOT,
                        "Steps: 1, Sampler: CVAE decoder, Seed: %d, Size: %dx%d, Model: %s, CLIP: %s, Conditioning: %s, "
                                + "Version: Meadow",
                        seed,
                        width,
                        height,
                        modelVersion,
                        clipModelId,
                        conditioning == null ? "unknown" : conditioning)
                + (towards == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", Towards: %s, Towards weight: %.4f",
                                towards.prompt().replace('\n', ' ').replace(',', ' '),
                                towards.weight()))
                + (noisy() ? String.format(Locale.ROOT, ", Condition noise: %.4f", conditionNoise) : "")
                + (priorModelId == null ? "" : ", Prior: " + priorModelId);
    }

    private boolean noisy() {
        return conditionNoise != null && conditionNoise > 0;
    }
}
