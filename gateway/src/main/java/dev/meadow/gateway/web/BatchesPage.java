package dev.meadow.gateway.web;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.meadow.gateway.api.BatchAccepted;
import dev.meadow.gateway.api.BatchProgress;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.rest.FormWrite;
import dev.meadow.gateway.service.BatchService;
import dev.meadow.gateway.service.ImageService;
import dev.meadow.gateway.service.SubmissionService;
import dev.meadow.gateway.service.batch.BatchFormat;
import dev.meadow.gateway.service.errors.BatchTooLargeException;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Batches: submit prompts, follow progress, cancel. */
@Path("/batches")
public class BatchesPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance batches(List<BatchProgress> batches, String prompts, String seed, String error);

        static native TemplateInstance batch(BatchProgress batch, ImagePage images, String error);
    }

    private final BatchService batches;
    private final SubmissionService submissions;
    private final ImageService images;

    public BatchesPage(BatchService batches, SubmissionService submissions, ImageService images) {
        this.batches = batches;
        this.submissions = submissions;
        this.images = images;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return Templates.batches(batches.recent(50), "", "", null);
    }

    @POST
    @FormWrite
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("prompts") String prompts, @FormParam("seed") String seed) {
        try {
            Long batchSeed = seed == null || seed.isBlank() ? null : Long.parseLong(seed.strip());
            BatchAccepted accepted = submissions.submit(
                    new ByteArrayInputStream((prompts == null ? "" : prompts).getBytes(StandardCharsets.UTF_8)),
                    BatchFormat.TEXT,
                    batchSeed,
                    "gallery");
            return Response.seeOther(URI.create(accepted.galleryUrl())).build();
        } catch (NumberFormatException e) {
            return page(400, prompts, seed, "The seed must be a whole number.");
        } catch (InvalidRequestException e) {
            String detail = e.problems().isEmpty()
                    ? e.getMessage()
                    : e.problems().get(0).message();
            return page(400, prompts, seed, detail);
        } catch (BatchTooLargeException e) {
            return page(413, prompts, seed, e.getMessage());
        }
    }

    private Response page(int status, String prompts, String seed, String error) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML)
                .entity(Templates.batches(batches.recent(50), prompts, seed, error))
                .build();
    }

    @GET
    @Path("/{batchId}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance batch(@PathParam("batchId") String batchId) {
        return Templates.batch(batches.progress(batchId), images.ofBatch(batchId, 48), null);
    }

    @POST
    @FormWrite
    @Path("/{batchId}/cancel")
    @Produces(MediaType.TEXT_HTML)
    public Response cancel(@PathParam("batchId") String batchId) {
        try {
            batches.cancel(batchId).await().indefinitely();
            return Response.seeOther(URI.create("/batches/" + batchId)).build();
        } catch (ConflictException e) {
            return Response.status(409)
                    .type(MediaType.TEXT_HTML)
                    .entity(Templates.batch(batches.progress(batchId), images.ofBatch(batchId, 48), e.getMessage()))
                    .build();
        }
    }
}
