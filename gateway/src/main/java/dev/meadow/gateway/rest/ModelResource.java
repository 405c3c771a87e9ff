package dev.meadow.gateway.rest;

import java.util.List;

import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.service.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/models/{kind}")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelService models;

    public ModelResource(ModelService models) {
        this.models = models;
    }

    /** Published versions of a kind ({@code clip} or {@code cvae}), newest first. */
    @GET
    public List<ModelView> list(@PathParam("kind") String kind) {
        return models.list(ModelService.kind(kind));
    }

    @GET
    @Path("/{modelId}")
    public ModelView get(@PathParam("kind") String kind, @PathParam("modelId") String modelId) {
        return models.get(ModelService.kind(kind), modelId);
    }

    /** Makes this version the one that serves: roll forward or back. */
    @POST
    @Path("/{modelId}/activate")
    public Uni<ModelView> activate(@PathParam("kind") String kind, @PathParam("modelId") String modelId) {
        return models.activate(ModelService.kind(kind), modelId);
    }
}
