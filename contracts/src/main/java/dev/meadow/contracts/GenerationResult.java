package dev.meadow.contracts;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one job. Published on {@code generations}, keyed by job id; the topic is compacted, so it keeps
 * the latest outcome of every job ever submitted.
 *
 * @param imageKey the PNG's key in the images bucket (null unless succeeded)
 * @param failureReason why the job failed or was cancelled (null when succeeded)
 * @param seed the latent's seed: the request's, or with best of N the kept candidate's, which redraws it alone
 * @param candidates N when the request asked for best of N, else null
 * @param priorModelId the prior that drew the picture's condition, or null when none did (the decoder has none, or
 *     the request asked to skip it)
 */
public record GenerationResult(
        int version,
        String jobId,
        String batchId,
        int index,
        Status status,
        String prompt,
        long seed,
        String imageKey,
        Integer width,
        Integer height,
        String modelVersion,
        String clipModelId,
        Timings timings,
        String failureReason,
        Instant completedAt,
        Towards towards,
        Integer candidates,
        String priorModelId)
        implements Contract {

    public static final int CURRENT_VERSION = 1;

    /** Record header naming the generator instance that produced a result (its split of the work is visible). */
    public static final String GENERATOR_HEADER = "meadow-generator";

    public enum Status {
        SUCCEEDED,
        FAILED,
        CANCELLED
    }

    /**
     * @param embedMillis time spent in the CLIP text encoder (its share of the micro-batch)
     * @param decodeMillis time spent in the decoder (its share of the batch)
     * @param endToEndMillis from submission to the result
     */
    public record Timings(long embedMillis, long decodeMillis, long endToEndMillis) {}

    public static GenerationResult succeeded(
            GenerationRequest request,
            String imageKey,
            int width,
            int height,
            String modelVersion,
            String clipModelId,
            Timings timings,
            Instant completedAt) {
        return succeeded(
                request, request.seed(), imageKey, width, height, modelVersion, clipModelId, timings, completedAt);
    }

    /** {@code seed}: the latent the image was drawn from, which best of N picks among the request's candidates. */
    public static GenerationResult succeeded(
            GenerationRequest request,
            long seed,
            String imageKey,
            int width,
            int height,
            String modelVersion,
            String clipModelId,
            Timings timings,
            Instant completedAt) {
        return new GenerationResult(
                CURRENT_VERSION,
                request.jobId(),
                request.batchId(),
                request.index(),
                Status.SUCCEEDED,
                request.prompt(),
                seed,
                imageKey,
                width,
                height,
                modelVersion,
                clipModelId,
                timings,
                null,
                completedAt,
                request.towards(),
                bestOf(request),
                null);
    }

    public static GenerationResult failed(
            GenerationRequest request, Status status, String reason, Instant completedAt) {
        return new GenerationResult(
                CURRENT_VERSION,
                request.jobId(),
                request.batchId(),
                request.index(),
                status,
                request.prompt(),
                request.seed(),
                null,
                null,
                null,
                null,
                null,
                null,
                reason,
                completedAt,
                request.towards(),
                bestOf(request),
                null);
    }

    /** This result, its condition drawn by prior {@code modelId} (null: by none). */
    public GenerationResult withPriorModelId(String modelId) {
        return new GenerationResult(
                version,
                jobId,
                batchId,
                index,
                status,
                prompt,
                seed,
                imageKey,
                width,
                height,
                modelVersion,
                clipModelId,
                timings,
                failureReason,
                completedAt,
                towards,
                candidates,
                modelId);
    }

    /** The request's N when it asked for best of N, else null (one draw). */
    private static Integer bestOf(GenerationRequest request) {
        return request.candidateCount() > 1 ? request.candidateCount() : null;
    }

    @Override
    public List<String> problems() {
        Checks checks = Checks.of(version, CURRENT_VERSION)
                .id("jobId", jobId)
                .id("batchId", batchId)
                .present("status", status)
                .present("completedAt", completedAt);
        if (status == Status.SUCCEEDED) {
            checks.present("imageKey", imageKey)
                    .present("width", width)
                    .present("height", height)
                    .id("modelVersion", modelVersion)
                    .id("clipModelId", clipModelId)
                    .optionalId("priorModelId", priorModelId);
        } else if (status != null) {
            checks.text("failureReason", failureReason, 4000);
        }
        return checks.problems();
    }
}
