package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * One image to generate: a prompt and the seed its latent is drawn from. Published on {@code prompts}, keyed by
 * job id. A job id names exactly one image, so a request that is processed twice overwrites its own output.
 *
 * @param batchId the submission this job belongs to
 * @param index position of this job in its batch
 * @param modelVersion a CVAE version to use instead of the active one, or null for the active one
 * @param towards a second prompt to blend towards, or null
 * @param candidates how many latents to draw, keeping the one the decoder's CLIP finds closest to the prompt
 *     (best of N); null or 1 draws once. The result's seed is the kept latent's.
 * @param prior false draws each picture's condition from the prompt's embedding even where the decoder has a prior
 *     (the pictures of a decoder without one); null or true draws it through the decoder's prior where it has one
 */
public record GenerationRequest(
        int version,
        String jobId,
        String batchId,
        int index,
        String prompt,
        long seed,
        String modelVersion,
        Instant submittedAt,
        Towards towards,
        Integer candidates,
        Boolean prior)
        implements Contract {

    public static final int CURRENT_VERSION = 1;
    /** The hard limit of the contract; the gateway can be configured stricter. */
    public static final int MAX_PROMPT_LENGTH = 4000;
    /** Latents one request may ask for; a reranked decode runs at most this many per prompt. */
    public static final int MAX_CANDIDATES = 64;

    public static GenerationRequest of(
            String jobId,
            String batchId,
            int index,
            String prompt,
            long seed,
            String modelVersion,
            Instant submittedAt) {
        return new GenerationRequest(
                CURRENT_VERSION, jobId, batchId, index, prompt, seed, modelVersion, submittedAt, null, null, null);
    }

    public GenerationRequest withTowards(Towards blend) {
        return new GenerationRequest(
                version, jobId, batchId, index, prompt, seed, modelVersion, submittedAt, blend, candidates, prior);
    }

    public GenerationRequest withCandidates(Integer count) {
        return new GenerationRequest(
                version, jobId, batchId, index, prompt, seed, modelVersion, submittedAt, towards, count, prior);
    }

    /** {@code false}: draw without the decoder's prior; null (the default) or true: through it. */
    public GenerationRequest withPrior(Boolean throughPrior) {
        return new GenerationRequest(
                version,
                jobId,
                batchId,
                index,
                prompt,
                seed,
                modelVersion,
                submittedAt,
                towards,
                candidates,
                Boolean.FALSE.equals(throughPrior) ? Boolean.FALSE : null);
    }

    /** Whether the picture's condition is drawn through the decoder's prior, where it has one. */
    public boolean throughPrior() {
        return !Boolean.FALSE.equals(prior);
    }

    /** Latents to draw: 1 unless the request asks for best of N. */
    public int candidateCount() {
        return candidates == null ? 1 : candidates;
    }

    @Override
    public List<String> problems() {
        return Checks.of(version, CURRENT_VERSION)
                .id("jobId", jobId)
                .id("batchId", batchId)
                .range("index", index, 0, Integer.MAX_VALUE)
                .text("prompt", prompt, MAX_PROMPT_LENGTH)
                .optionalId("modelVersion", modelVersion)
                .present("submittedAt", submittedAt)
                .also(towards == null ? List.of() : towards.problems())
                .range("candidates", candidateCount(), 1, MAX_CANDIDATES)
                .that(candidateCount() == 1 || towards == null, "candidates: a strip keeps one latent")
                .problems();
    }
}
