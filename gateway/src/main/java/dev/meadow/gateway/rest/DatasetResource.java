package dev.meadow.gateway.rest;

import java.net.URI;
import java.util.List;

import dev.meadow.gateway.api.DatasetView;
import dev.meadow.gateway.service.DatasetService;
import dev.meadow.gateway.service.dataset.UploadForm;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/datasets")
@Tag(name = "Datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetService datasets;

    public DatasetResource(DatasetService datasets) {
        this.datasets = datasets;
    }

    @GET
    @Operation(summary = "Uploaded snapshots and the training queue, newest first")
    public List<DatasetView> list() {
        return datasets.list();
    }

    @DELETE
    @Path("/{snapshotId}")
    @Blocking
    @Operation(
            summary = "Cancel a dataset's training",
            description = "Queued training is skipped; a run in progress stops after its current epoch and publishes "
                    + "no model. 409 once the training has ended.")
    public DatasetView cancel(@PathParam("snapshotId") String snapshotId) {
        return datasets.cancel(snapshotId);
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(
            summary = "Upload a dataset snapshot and queue its training",
            description = "images: a zip of JPEG/PNG pictures. annotations: COCO captions JSON (else the zip must "
                    + "hold captions.jsonl). keywords: comma-separated whole words a caption must contain.")
    public Response upload(
            @RestForm String name,
            @RestForm("images") FileUpload images,
            @RestForm("annotations") FileUpload annotations,
            @RestForm String keywords,
            @RestForm String preset,
            @RestForm String conditioning,
            @RestForm String epochs,
            @RestForm String batchSize,
            @RestForm String learningRate,
            @RestForm String seed,
            @RestForm String activate,
            @RestForm String prior) {
        DatasetView view = datasets.upload(UploadForm.read(
                name,
                images == null ? null : images.uploadedFile(),
                images == null ? 0 : images.size(),
                annotations == null ? null : annotations.uploadedFile(),
                keywords,
                preset,
                conditioning,
                epochs,
                batchSize,
                learningRate,
                seed,
                activate,
                prior));
        return Response.accepted(view).location(URI.create("/api/datasets")).build();
    }
}
