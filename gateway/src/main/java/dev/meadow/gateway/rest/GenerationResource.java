package dev.meadow.gateway.rest;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.meadow.gateway.api.GenerationSubmission;
import dev.meadow.gateway.service.GenerationService;
import io.smallrye.mutiny.Uni;

@Path("/api/generations")
public class GenerationResource {

    @Inject
    GenerationService generations;

    /** Queues one prompt (optionally several variants of it); answers once the broker has it. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(GenerationSubmission submission) {
        return generations.submit(submission)
                .map(accepted -> Response.accepted(accepted).location(URI.create(accepted.statusUrl())).build());
    }
}
