package dev.meadow.gateway.web;

import java.net.URI;
import java.util.List;

import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.rest.FormWrite;
import dev.meadow.gateway.service.ModelService;
import dev.meadow.gateway.service.ModelsOverview;
import dev.meadow.gateway.service.errors.ConflictException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Model versions, the active ones, their training curves, and rolling forward or back. */
@Path("/models")
public class ModelsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(
                List<ModelsOverview.ModelCard> decoders,
                List<ModelsOverview.ClipRow> clips,
                List<ModelView> priors,
                List<ModelLoadEvent> refusals,
                String error);
    }

    private final ModelsOverview views;
    private final ModelService models;

    public ModelsPage(ModelsOverview views, ModelService models) {
        this.views = views;
        this.models = models;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance models() {
        return Templates.models(views.decoders(), views.clipModels(), views.priors(), views.refusals(), null);
    }

    @POST
    @FormWrite
    @Path("/{kind}/{modelId}/activate")
    @Produces(MediaType.TEXT_HTML)
    public Response activate(@PathParam("kind") String kind, @PathParam("modelId") String modelId) {
        try {
            models.activate(ModelService.kind(kind), modelId).await().indefinitely();
            return Response.seeOther(URI.create("/models")).build();
        } catch (ConflictException e) {
            return Response.status(409)
                    .type(MediaType.TEXT_HTML)
                    .entity(Templates.models(
                            views.decoders(), views.clipModels(), views.priors(), views.refusals(), e.getMessage()))
                    .build();
        }
    }
}
