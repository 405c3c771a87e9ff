package dev.meadow.gateway.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.Checks;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.gateway.api.AcceptedJob;
import dev.meadow.gateway.api.FieldProblem;
import dev.meadow.gateway.api.GenerationSubmission;
import dev.meadow.gateway.api.SubmissionAccepted;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.messaging.PromptPublisher;
import io.smallrye.mutiny.Uni;

/** Turns a submission into generation requests, after checking every limit. */
@ApplicationScoped
public class GenerationService {

    @Inject
    GatewayConfig config;

    @Inject
    PromptPublisher publisher;

    Clock clock = Clock.systemUTC();

    public Uni<SubmissionAccepted> submit(GenerationSubmission submission) {
        validate(submission);
        Instant now = clock.instant();
        String batchId = JobIds.newBatchId(now);
        long seed = submission.seed() != null ? submission.seed() : JobIds.randomSeed();
        int count = submission.count() != null ? submission.count() : 1;
        String prompt = submission.prompt().strip();

        List<GenerationRequest> requests = new ArrayList<>(count);
        List<AcceptedJob> jobs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String jobId = JobIds.jobId(batchId, i);
            requests.add(GenerationRequest.of(jobId, batchId, i, prompt, seed + i, submission.modelVersion(), now));
            jobs.add(new AcceptedJob(jobId, prompt, seed + i));
        }
        return publisher.publish(requests)
                .replaceWith(new SubmissionAccepted(batchId, count, jobs, "/api/batches/" + batchId));
    }

    private void validate(GenerationSubmission submission) {
        if (submission == null) {
            throw new InvalidRequestException("body", "the request body is missing");
        }
        List<FieldProblem> problems = new ArrayList<>();
        String prompt = submission.prompt();
        if (prompt == null || prompt.isBlank()) {
            problems.add(new FieldProblem("prompt", "prompt must not be empty"));
        } else if (prompt.strip().length() > config.maxPromptLength()) {
            problems.add(new FieldProblem("prompt", "prompt is " + prompt.strip().length()
                    + " characters long; the maximum is " + config.maxPromptLength()));
        }
        if (submission.seed() != null && (submission.seed() < 0 || submission.seed() > Long.MAX_VALUE / 2)) {
            problems.add(new FieldProblem("seed", "seed must be between 0 and " + Long.MAX_VALUE / 2));
        }
        if (submission.count() != null && (submission.count() < 1 || submission.count() > config.maxVariants())) {
            problems.add(new FieldProblem("count", "count must be between 1 and " + config.maxVariants()));
        }
        if (submission.modelVersion() != null && !Checks.ID.matcher(submission.modelVersion()).matches()) {
            problems.add(new FieldProblem("modelVersion", "modelVersion is not a valid model id"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("the generation request is invalid", problems);
        }
    }
}
