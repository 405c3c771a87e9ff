package dev.meadow.gateway.rest;

import java.io.InputStream;
import java.net.URI;

import dev.meadow.gateway.api.BatchAccepted;
import dev.meadow.gateway.service.SubmissionService;
import dev.meadow.gateway.service.batch.BatchFormat;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/batches")
@Tag(name = "Batches")
public class BatchResource {

    private final SubmissionService submissions;

    public BatchResource(SubmissionService submissions) {
        this.submissions = submissions;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Queue a batch given as a JSON array",
            description = "Each element is a prompt string or {\"prompt\", \"seed\", \"count\", \"modelVersion\"}.")
    public Response json(InputStream body, @QueryParam("seed") @Parameter(description = "Batch seed") String seed) {
        return accepted(
                submissions.submit(body, BatchFormat.JSON, QueryParams.wholeNumber("seed", seed), "batch-json"));
    }

    @POST
    @Blocking
    @Consumes({"application/x-ndjson", "application/jsonl", "application/json-lines"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Queue a batch given as JSON Lines",
            description = "One prompt string or item object per line.")
    public Response jsonLines(InputStream body, @QueryParam("seed") String seed) {
        return accepted(
                submissions.submit(body, BatchFormat.JSON_LINES, QueryParams.wholeNumber("seed", seed), "batch-jsonl"));
    }

    @POST
    @Blocking
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Queue a batch given as a prompts file",
            description = "One prompt per line, optionally led by overrides: `--seed 42 --count 4 a cow in the grass`."
                    + " Blank lines and lines starting with # are skipped.")
    public Response text(InputStream body, @QueryParam("seed") String seed) {
        return accepted(
                submissions.submit(body, BatchFormat.TEXT, QueryParams.wholeNumber("seed", seed), "batch-text"));
    }

    private static Response accepted(BatchAccepted accepted) {
        return Response.accepted(accepted)
                .location(URI.create(accepted.statusUrl()))
                .build();
    }
}
