package dev.meadow.gateway.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.service.CaptionService;
import dev.meadow.gateway.service.ImageService;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/images")
@Tag(name = "Images")
public class ImageResource {

    private final CaptionService captions;
    private final ImageService images;

    public ImageResource(CaptionService captions, ImageService images) {
        this.captions = captions;
        this.images = images;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Search images, newest first",
            description = "q: words the prompt must contain (English stemming: cows finds cow; \"quoted phrases\", "
                    + "-word to exclude, or); batch, model, seed; from and to (a date or an instant) bound the "
                    + "completion time. Pages are read from a cursor: pass a page's next as after for the page "
                    + "after it, its previous as before for the one before. 503 while the gallery's database is down.")
    public ImagePage search(
            @QueryParam("q") String q,
            @QueryParam("batch") String batch,
            @QueryParam("model") String model,
            @QueryParam("seed") String seed,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") String after,
            @QueryParam("before") String before,
            @QueryParam("size") String size,
            @QueryParam("page") String page) {
        if (page != null) {
            throw new InvalidRequestException(
                    "page",
                    "pages are read from cursors, not numbers: pass a page's next " + "as after for the page after it");
        }
        return images.search(
                QueryParams.imageQuery(q, batch, model, seed, from, to),
                after,
                before,
                QueryParams.integer("size", size));
    }

    @GET
    @Path("/{jobId}")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "How an image was made")
    public ImageView get(@PathParam("jobId") String jobId) {
        return images.get(jobId);
    }

    @GET
    @Path("/{jobId}/captions")
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Reverse captions",
            description = "The captions of the judge CLIP's pool that are closest "
                    + "to the image, most similar first. 503 when no judge CLIP model is available.")
    public List<CaptionService.Caption> captions(@PathParam("jobId") String jobId) {
        return captions.closest(jobId);
    }

    @GET
    @Path("/{jobId}/png")
    @Blocking
    @Produces("image/png")
    @Operation(
            summary = "The PNG",
            description =
                    "Streamed from the object store; with ?redirect=true a redirect "
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
