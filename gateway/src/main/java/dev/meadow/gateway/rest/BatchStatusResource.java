package dev.meadow.gateway.rest;

import java.util.List;

import dev.meadow.gateway.api.BatchProgress;
import dev.meadow.gateway.service.BatchArchive;
import dev.meadow.gateway.service.BatchService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/batches")
@Tag(name = "Batches")
@Produces(MediaType.APPLICATION_JSON)
public class BatchStatusResource {

    private final BatchService batches;
    private final BatchArchive archive;

    public BatchStatusResource(BatchService batches, BatchArchive archive) {
        this.batches = batches;
        this.archive = archive;
    }

    @GET
    @Operation(summary = "Recent batches, newest first")
    public List<BatchProgress> recent(@QueryParam("limit") String limit) {
        Integer wanted = QueryParams.integer("limit", limit);
        return batches.recent(wanted == null ? 50 : wanted);
    }

    @GET
    @Path("/{batchId}")
    @Operation(summary = "Totals of a batch: queued, embedded, generated, failed, cancelled")
    public BatchProgress progress(@PathParam("batchId") String batchId) {
        return batches.progress(batchId);
    }

    @GET
    @Path("/{batchId}/images.zip")
    @Blocking
    @Produces("application/zip")
    @Operation(
            summary = "A batch's images as one ZIP",
            description = "Streamed: the PNGs as they are, named "
                    + "<jobId>.png, then manifest.jsonl with each image's file, prompt, seed and model (and an error for an "
                    + "image missing from the object store).")
    public Response images(@PathParam("batchId") String batchId, @Context HttpServerResponse response) {
        BatchArchive.Slot slot = archive.reserve(batchId);
        BatchArchive.Client client = new BatchArchive.Client() {
            @Override
            public boolean gone() {
                return response.closed();
            }

            @Override
            public void cutOff() {
                response.close();
            }
        };
        StreamingOutput body = out -> archive.write(batchId, out, client, slot);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + batchId + ".zip\"")
                .build();
    }

    @GET
    @Path("/{batchId}/events")
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live progress (server-sent events) until the batch is over")
    public Multi<BatchProgress> events(@PathParam("batchId") String batchId) {
        return batches.updates(batchId);
    }

    @DELETE
    @Path("/{batchId}")
    @Blocking
    @Operation(summary = "Cancel a batch", description = "Requests not decoded yet are skipped and reported cancelled.")
    public Uni<BatchProgress> cancel(@PathParam("batchId") String batchId) {
        return batches.cancel(batchId);
    }
}
