package dev.meadow.gateway.rest;

import java.net.URI;

import dev.meadow.gateway.api.BatchAccepted;
import dev.meadow.gateway.api.GenerationSubmission;
import dev.meadow.gateway.service.SubmissionService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/generations")
@Tag(name = "Generations")
public class GenerationResource {

    private final SubmissionService submissions;

    public GenerationResource(SubmissionService submissions) {
        this.submissions = submissions;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Queue one prompt",
            description = "Queues `count` images (default 1) of one prompt; variant i uses seed + i, and the answer's "
                    + "`seed` is the one given or, without one, the one drawn. Answers once "
                    + "the requests are durable in Kafka.")
    public Response submit(GenerationSubmission submission) {
        BatchAccepted accepted = submissions.submit(submission, "api");
        return Response.accepted(accepted)
                .location(URI.create(accepted.statusUrl()))
                .build();
    }
}
