package dev.meadow.gateway.web;

import java.net.URI;
import java.util.List;

import dev.meadow.gateway.api.DatasetUpload;
import dev.meadow.gateway.api.DatasetView;
import dev.meadow.gateway.rest.FormWrite;
import dev.meadow.gateway.service.DatasetService;
import dev.meadow.gateway.service.dataset.UploadForm;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.UploadRejectedException;
import dev.meadow.model.cvae.CvaePreset;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Upload a dataset snapshot, and see the training queue. */
@Path("/datasets")
public class DatasetsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance datasets(List<DatasetView> datasets, List<String> presets, String error);
    }

    private final DatasetService datasets;

    public DatasetsPage(DatasetService datasets) {
        this.datasets = datasets;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return page(null);
    }

    @POST
    @FormWrite
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.TEXT_HTML)
    public Response upload(
            @RestForm String name,
            @RestForm("images") FileUpload images,
            @RestForm("annotations") FileUpload annotations,
            @RestForm String keywords,
            @RestForm String preset,
            @RestForm String conditioning,
            @RestForm String epochs,
            @RestForm String activate) {
        try {
            boolean coco = annotations != null && annotations.size() > 0;
            DatasetUpload upload = UploadForm.read(
                    name,
                    images == null || images.size() == 0 ? null : images.uploadedFile(),
                    images == null ? 0 : images.size(),
                    coco ? annotations.uploadedFile() : null,
                    keywords,
                    preset,
                    conditioning,
                    epochs,
                    null,
                    null,
                    null,
                    activate,
                    null);
            datasets.upload(upload);
            return Response.seeOther(URI.create("/datasets")).build();
        } catch (UploadRejectedException e) {
            return Response.status(e.status())
                    .type(MediaType.TEXT_HTML)
                    .entity(page(e.getMessage()))
                    .build();
        }
    }

    @POST
    @FormWrite
    @Path("/{snapshotId}/cancel")
    @Produces(MediaType.TEXT_HTML)
    public Response cancel(@PathParam("snapshotId") String snapshotId) {
        try {
            datasets.cancel(snapshotId);
            return Response.seeOther(URI.create("/datasets")).build();
        } catch (ConflictException e) {
            return Response.status(409)
                    .type(MediaType.TEXT_HTML)
                    .entity(page(e.getMessage()))
                    .build();
        }
    }

    private TemplateInstance page(String error) {
        return Templates.datasets(datasets.list(), List.copyOf(CvaePreset.all().keySet()), error);
    }
}
