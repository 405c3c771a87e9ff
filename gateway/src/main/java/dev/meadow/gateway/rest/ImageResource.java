package dev.meadow.gateway.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.service.CaptionService;
import dev.meadow.gateway.service.ImageService;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/images")
@Tag(name = "Images")
public class ImageResource {

    @Inject
    CaptionService captions;

    @Inject
    ImageService images;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search images, newest first",
            description = "q: words the prompt must contain (whole words); batch and model filter; page from 0.")
    public ImagePage search(@QueryParam("q") String q, @QueryParam("batch") String batch,
            @QueryParam("model") String model, @QueryParam("page") String page, @QueryParam("size") String size) {
        return images.search(q, batch, model, QueryParams.integer("page", page), QueryParams.integer("size", size));
    }

    @GET
    @Path("/{jobId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How an image was made")
    public ImageView get(@PathParam("jobId") String jobId) {
        return images.get(jobId);
    }

    @GET
    @Path("/{jobId}/captions")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reverse captions", description = "The captions of the judge CLIP's pool that are closest "
            + "to the image, most similar first. 503 when no judge CLIP model is available.")
    public List<CaptionService.Caption> captions(@PathParam("jobId") String jobId) {
        return captions.closest(jobId);
    }

    @GET
    @Path("/{jobId}/png")
    @Blocking
    @Produces("image/png")
    @Operation(summary = "The PNG", description = "Streamed from the object store; with ?redirect=true a redirect "
            + "to a presigned URL of the object store when its public address (meadow.s3.public-endpoint) is set.")
    public Response png(@PathParam("jobId") String jobId, @QueryParam("redirect") String redirect) {
        if (QueryParams.bool("redirect", redirect)) {
            Optional<String> url = images.presignedUrl(jobId);
            if (url.isPresent()) {
                return Response.temporaryRedirect(URI.create(url.get())).build();
            }
        }
        InputStream png = images.open(jobId);
        return Response.ok(png, "image/png")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("Content-Disposition", "inline; filename=\"" + jobId + ".png\"")
                .build();
    }
}
