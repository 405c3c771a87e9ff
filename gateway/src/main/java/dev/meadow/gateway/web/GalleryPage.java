package dev.meadow.gateway.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.meadow.contracts.ModelKind;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.rest.QueryParams;
import dev.meadow.gateway.service.ImageService;
import dev.meadow.gateway.service.ModelService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The home page: the newest images, search and filters. */
@Path("/")
public class GalleryPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gallery(
                ImagePage images, Map<String, String> query, List<ModelView> models, Pager pager);
    }

    private final ImageService images;
    private final ModelService models;

    public GalleryPage(ImageService images, ModelService models) {
        this.images = images;
        this.models = models;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance gallery(
            @QueryParam("q") String q,
            @QueryParam("batch") String batch,
            @QueryParam("model") String model,
            @QueryParam("seed") String seed,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("before") String before) {
        ImagePage found = images.search(QueryParams.imageQuery(q, batch, model, seed, from, to), after, before, null);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", q);
        query.put("batch", batch);
        query.put("model", model);
        query.put("seed", seed);
        query.put("from", from);
        query.put("to", to);
        query.replaceAll((k, v) -> v == null ? "" : v);
        return Templates.gallery(found, query, models.list(ModelKind.CVAE), Pager.of("/", found, query));
    }
}
