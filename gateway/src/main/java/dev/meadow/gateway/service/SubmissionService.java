package dev.meadow.gateway.service;

import java.io.InputStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

import dev.meadow.contracts.BatchSubmitted;
import dev.meadow.contracts.Checks;
import dev.meadow.contracts.GenerationRequest;
import dev.meadow.contracts.Towards;
import dev.meadow.gateway.api.AcceptedJob;
import dev.meadow.gateway.api.BatchAccepted;
import dev.meadow.gateway.api.FieldProblem;
import dev.meadow.gateway.api.GenerationSubmission;
import dev.meadow.gateway.config.DataSources;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.messaging.SubmissionPublisher;
import dev.meadow.gateway.service.batch.BatchFormat;
import dev.meadow.gateway.service.batch.BatchItem;
import dev.meadow.gateway.service.batch.BatchReader;
import dev.meadow.gateway.service.errors.BatchTooLargeException;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.gateway.service.gallery.GalleryWriter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Turns prompts into generation requests and publishes them as one batch. Every item is checked as it is read;
 * the first invalid item, or going over the batch limit, aborts the whole submission and nothing is published.
 */
@ApplicationScoped
public class SubmissionService {

    private static final Logger LOG = Logger.getLogger(SubmissionService.class);

    /** Up to this many images, the answer lists every job. */
    private static final int LISTED_JOBS = 100;

    private final GatewayConfig config;
    private final SubmissionPublisher publisher;
    private final DataSource dataSource;
    private final ModelService models;

    public SubmissionService(
            GatewayConfig config,
            SubmissionPublisher publisher,
            @io.quarkus.agroal.DataSource(DataSources.WRITER) DataSource dataSource,
            ModelService models) {
        this.config = config;
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.models = models;
    }

    Clock clock = Clock.systemUTC();

    /** One prompt, possibly several variants of it. */
    public BatchAccepted submit(GenerationSubmission submission, String source) {
        if (submission == null) {
            throw new InvalidRequestException("body", "the request body is missing");
        }
        // The answer's seed is the first image's seed, drawn here when the body gives none.
        long seed = submission.seed() != null ? submission.seed() : JobIds.randomSeed();
        BatchItem item = new BatchItem(
                "body",
                submission.prompt(),
                seed,
                submission.count(),
                submission.modelVersion(),
                submission.towards(),
                submission.steps(),
                submission.candidates(),
                submission.prior());
        List<BatchItem> single = new ArrayList<>(List.of(item));
        return publish(() -> single.isEmpty() ? null : single.remove(0), seed, source);
    }

    /** A batch read from a request body. */
    public BatchAccepted submit(InputStream body, BatchFormat format, Long batchSeed, String source) {
        try (BatchReader reader = BatchReader.open(body, format, config.maxLineBytes())) {
            return publish(reader::next, batchSeed, source);
        } catch (InvalidRequestException | BatchTooLargeException | ServiceUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("reading the batch failed", e);
        }
    }

    private interface Items {
        BatchItem next();
    }

    private BatchAccepted publish(Items items, Long requestedSeed, String source) {
        Instant now = clock.instant();
        String batchId = JobIds.newBatchId(now);
        long batchSeed = requestedSeed != null ? requestedSeed : JobIds.randomSeed();
        // Every item is read and checked before a producer is taken: an invalid batch writes nothing at all (not
        // even aborted records), and a slow upload never holds a producer that other submissions wait for.
        List<GenerationRequest> requests = new ArrayList<>();
        int itemIndex = 0;
        BatchItem item;
        while ((item = items.next()) != null) {
            validate(item);
            String prompt = item.prompt().strip();
            int count = item.images();
            Towards towardsBase =
                    item.towards() == null ? null : new Towards(item.towards().strip(), 0);
            if (requests.size() + count > config.maxBatchSize()) {
                throw new BatchTooLargeException("the batch asks for more than " + config.maxBatchSize() + " images ("
                        + item.where() + " goes over); split it into smaller batches");
            }
            long seed = item.seed() != null ? item.seed() : JobIds.derivedSeed(batchSeed, itemIndex);
            for (int v = 0; v < count; v++) {
                int index = requests.size();
                // A strip keeps its seed, so that only the condition changes from image to image. Any 64-bit
                // seed is valid (best of N reports its candidates' seeds, which span the range); seed + v wraps.
                long itemSeed = towardsBase == null ? seed + v : seed;
                GenerationRequest request = GenerationRequest.of(
                        JobIds.jobId(batchId, index), batchId, index, prompt, itemSeed, item.modelVersion(), now);
                if (towardsBase != null) {
                    request = request.withTowards(new Towards(towardsBase.prompt(), (double) v / (count - 1)));
                }
                if (item.candidates() != null && item.candidates() > 1) {
                    request = request.withCandidates(item.candidates());
                }
                request = request.withPrior(item.prior());
                requests.add(request);
            }
            itemIndex++;
        }
        if (requests.isEmpty()) {
            throw new InvalidRequestException("body", "the batch holds no prompts");
        }
        BatchSubmitted submitted = BatchSubmitted.of(
                batchId, requests.size(), source, abbreviate(requests.get(0).prompt()), now);
        try (SubmissionPublisher.Submission submission = publisher.begin()) {
            requests.forEach(submission::send);
            submission.commit(submitted);
        }
        recordInGallery(submitted);
        int total = requests.size();
        List<AcceptedJob> jobs = total > LISTED_JOBS
                ? List.of()
                : requests.stream()
                        .map(r -> new AcceptedJob(r.jobId(), r.prompt(), r.seed()))
                        .toList();
        return new BatchAccepted(
                batchId,
                total,
                batchSeed,
                jobs,
                "/api/batches/" + batchId,
                "/api/batches/" + batchId + "/events",
                "/batches/" + batchId);
    }

    /**
     * Read-your-writes: whoever submitted can look at the batch right away, on any gateway sharing the database. The
     * batch is accepted either way, so a database outage only leaves the row to the projection.
     */
    private void recordInGallery(BatchSubmitted submitted) {
        try {
            GalleryWriter.recordSubmitted(dataSource, submitted);
        } catch (SQLException e) {
            LOG.debugf("Batch %s left to the projection: %s", submitted.batchId(), e.getMessage());
        }
    }

    private void validate(BatchItem item) {
        List<FieldProblem> problems = new ArrayList<>();
        String where = item.where().equals("body") ? "" : item.where() + ": ";
        String prompt = item.prompt();
        if (prompt == null || prompt.isBlank()) {
            problems.add(new FieldProblem(field(item, "prompt"), where + "prompt must not be empty"));
        } else if (prompt.strip().length() > config.maxPromptLength()) {
            problems.add(new FieldProblem(
                    field(item, "prompt"),
                    where + "prompt is " + prompt.strip().length() + " characters long; the maximum is "
                            + config.maxPromptLength()));
        } else {
            controlCharacter(prompt)
                    .ifPresent(c -> problems.add(new FieldProblem(
                            field(item, "prompt"),
                            where + "prompt holds a control character (" + c
                                    + "); only ordinary white space is allowed")));
        }
        if (item.count() != null && (item.count() < 1 || item.count() > config.maxVariants())) {
            problems.add(new FieldProblem(
                    field(item, "count"), where + "count must be between 1 and " + config.maxVariants()));
        }
        if (item.towards() != null) {
            if (item.towards().isBlank()) {
                problems.add(new FieldProblem(field(item, "towards"), where + "towards must not be empty"));
            } else if (item.towards().strip().length() > config.maxPromptLength()) {
                problems.add(new FieldProblem(
                        field(item, "towards"),
                        where + "towards is longer than " + config.maxPromptLength() + " characters"));
            } else {
                controlCharacter(item.towards())
                        .ifPresent(c -> problems.add(new FieldProblem(
                                field(item, "towards"),
                                where + "towards holds a control character (" + c
                                        + "); only ordinary white space is allowed")));
            }
            if (item.count() != null) {
                problems.add(new FieldProblem(
                        field(item, "count"),
                        where + "count and towards exclude each other: a strip has steps images of one seed"));
            }
            if (item.steps() != null && (item.steps() < 2 || item.steps() > config.maxVariants())) {
                problems.add(new FieldProblem(
                        field(item, "steps"), where + "steps must be between 2 and " + config.maxVariants()));
            }
        } else if (item.steps() != null) {
            problems.add(new FieldProblem(field(item, "steps"), where + "steps needs towards"));
        }
        if (item.candidates() != null) {
            if (item.candidates() < 1 || item.candidates() > GenerationRequest.MAX_CANDIDATES) {
                problems.add(new FieldProblem(
                        field(item, "candidates"),
                        where + "candidates must be between 1 and " + GenerationRequest.MAX_CANDIDATES));
            } else if (item.candidates() > 1 && item.towards() != null) {
                problems.add(new FieldProblem(
                        field(item, "candidates"),
                        where + "candidates and towards exclude each other: a strip keeps one latent"));
            }
        }
        if (item.modelVersion() != null) {
            if (!Checks.ID.matcher(item.modelVersion()).matches()) {
                problems.add(
                        new FieldProblem(field(item, "modelVersion"), where + "modelVersion is not a valid model id"));
            } else {
                models.whyDecoderCannotServe(item.modelVersion())
                        .ifPresent(why -> problems.add(new FieldProblem(field(item, "modelVersion"), where + why)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(
                    item.where().equals("body")
                            ? "the generation request is invalid"
                            : item.where() + " is invalid; nothing of the batch was queued",
                    problems);
        }
    }

    /** The first control character other than tab, line feed and carriage return, as U+XXXX. */
    static Optional<String> controlCharacter(String text) {
        return text.chars()
                .filter(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                .mapToObj(c -> String.format(Locale.ROOT, "U+%04X", c))
                .findFirst();
    }

    private static String field(BatchItem item, String name) {
        return item.where().equals("body") ? name : item.where();
    }

    /** At most 120 characters as people count them: a cut never splits a surrogate pair (an emoji, say). */
    static String abbreviate(String prompt) {
        if (prompt.codePointCount(0, prompt.length()) <= 120) {
            return prompt;
        }
        return prompt.substring(0, prompt.offsetByCodePoints(0, 117)) + "...";
    }
}
