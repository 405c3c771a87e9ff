package dev.meadow.gateway.web;

import java.net.URI;
import java.util.List;

import dev.meadow.contracts.ModelKind;
import dev.meadow.gateway.api.BatchAccepted;
import dev.meadow.gateway.api.GenerationSubmission;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.rest.FormWrite;
import dev.meadow.gateway.service.CaptionService;
import dev.meadow.gateway.service.ImageService;
import dev.meadow.gateway.service.ModelService;
import dev.meadow.gateway.service.SubmissionService;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.storage.ObjectNotFoundException;
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

/** One image: the picture and how it was made, "more like this", and the same seed with another model. */
@Path("/images/{jobId}")
public class ImagesPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance image(
                ImageView image,
                List<ModelView> models,
                List<CaptionService.Caption> captions,
                String captionsNote,
                String judge,
                Double conditionNoise);
    }

    private final ImageService images;
    private final ModelService models;
    private final SubmissionService submissions;
    private final CaptionService captions;
    private final FormLimits limits;

    public ImagesPage(
            ImageService images,
            ModelService models,
            SubmissionService submissions,
            CaptionService captions,
            FormLimits limits) {
        this.images = images;
        this.models = models;
        this.submissions = submissions;
        this.captions = captions;
        this.limits = limits;
    }

    @GET
    @Blocking
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance image(@PathParam("jobId") String jobId) {
        ImageView image = images.get(jobId);
        List<CaptionService.Caption> closest = null;
        String note = null;
        try {
            closest = captions.closest(jobId);
        } catch (ServiceUnavailableException | ObjectNotFoundException e) {
            // The picture and its facts still show; only the reverse captions are missing.
            note = "No reverse captions: " + e.getMessage();
        }
        return Templates.image(
                image,
                models.list(ModelKind.CVAE),
                closest,
                note,
                captions.judgeModelId(),
                models.conditionNoise(image.modelVersion()).orElse(null));
    }

    /** The same prompt with new seeds. */
    @POST
    @FormWrite
    @Path("/more")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response moreLikeThis(@PathParam("jobId") String jobId) {
        ImageView image = images.get(jobId);
        BatchAccepted accepted = submissions.submit(
                new GenerationSubmission(image.prompt(), null, limits.moreLikeThis(), null), "gallery");
        return Response.seeOther(URI.create(accepted.galleryUrl())).build();
    }

    /** A strip with this image's seed, from its prompt towards another one. */
    @POST
    @FormWrite
    @Path("/towards")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response towards(
            @PathParam("jobId") String jobId, @FormParam("towards") String towards, @FormParam("steps") Integer steps) {
        ImageView image = images.get(jobId);
        BatchAccepted accepted = submissions.submit(
                new GenerationSubmission(
                        image.prompt(),
                        image.seed(),
                        null,
                        image.modelVersion(),
                        towards == null ? "" : towards,
                        steps,
                        null,
                        // The strip starts from this very picture: through a prior only if it was drawn through one.
                        image.priorModelId() == null ? Boolean.FALSE : null),
                "gallery");
        return Response.seeOther(URI.create(accepted.galleryUrl())).build();
    }

    /** The same prompt and seed, decoded by another model version. */
    @POST
    @FormWrite
    @Path("/model")
    @Blocking
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response withModel(@PathParam("jobId") String jobId, @FormParam("modelVersion") String modelVersion) {
        ImageView image = images.get(jobId);
        BatchAccepted accepted =
                submissions.submit(new GenerationSubmission(image.prompt(), image.seed(), 1, modelVersion), "gallery");
        return Response.seeOther(URI.create(accepted.galleryUrl())).build();
    }
}
