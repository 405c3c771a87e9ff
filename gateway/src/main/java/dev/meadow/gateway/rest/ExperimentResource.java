package dev.meadow.gateway.rest;

import java.util.List;

import dev.meadow.contracts.EvalReport;
import dev.meadow.gateway.service.ExperimentService;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/experiments")
@Blocking
public class ExperimentResource {

    private final ExperimentService experiments;

    public ExperimentResource(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Evaluation reports",
            description = "R-precision, CLIPScore, Fréchet distance and "
                    + "attribute accuracy of decoders, newest first (published by meadow eval --publish).")
    public List<EvalReport> list() {
        return experiments.list();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One evaluation report")
    public EvalReport get(@PathParam("id") String id) {
        return experiments.get(id);
    }

    @GET
    @Path("/{id}/samples/{file}")
    @Produces("image/png")
    @Operation(summary = "A sample image of a report")
    public Response sample(@PathParam("id") String id, @PathParam("file") String file) {
        return Response.ok(experiments.sample(id, file), "image/png")
                .header("Cache-Control", "public, max-age=3600")
                .build();
    }
}
