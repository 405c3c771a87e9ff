package dev.meadow.gateway.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.meadow.contracts.ModelKind;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.service.ImageService;
import dev.meadow.gateway.service.ModelService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The home page: the newest images, search and filters. */
@Path("/")
public class GalleryPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gallery(ImagePage images, String q, String batch, String model,
                List<ModelView> models, Pager pager);
    }

    @Inject
    ImageService images;

    @Inject
    ModelService models;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance gallery(@QueryParam("q") String q, @QueryParam("batch") String batch,
            @QueryParam("model") String model, @QueryParam("page") Integer page) {
        ImagePage found = images.search(q, batch, model, page == null ? 0 : Math.max(0, page), null);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", q);
        query.put("batch", batch);
        query.put("model", model);
        return Templates.gallery(found, q, batch, model, models.list(ModelKind.CVAE), Pager.of("/", found, query));
    }
}
