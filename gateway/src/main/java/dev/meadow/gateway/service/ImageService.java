package dev.meadow.gateway.service;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.gallery.Cursor;
import dev.meadow.gateway.service.gallery.GalleryQueries;
import dev.meadow.gateway.service.gallery.GalleryWriter;
import dev.meadow.gateway.service.gallery.ImageQuery;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

/** The gallery: search, image metadata, and the PNGs themselves. */
@ApplicationScoped
public class ImageService {

    private static final int MAX_PAGE_SIZE = 200;

    private final GalleryQueries gallery;
    private final ObjectStore store;
    private final GatewayConfig config;

    public ImageService(GalleryQueries gallery, ObjectStore store, GatewayConfig config) {
        this.gallery = gallery;
        this.store = store;
        this.config = config;
    }

    /**
     * A page of images matching {@code query}, newest first: the first page, or the one after or before a cursor
     * that an earlier page gave.
     */
    public ImagePage search(ImageQuery query, String after, String before, Integer size) {
        int s = size == null ? config.pageSize() : size;
        if (s < 1 || s > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (after != null && before != null) {
            throw new InvalidRequestException("before", "give after or before, not both");
        }
        text("q", query.words(), config.maxPromptLength());
        text("batch", query.batchId(), 200);
        text("model", query.modelVersion(), 200);
        for (var bound : java.util.Map.of(
                        "from",
                        java.util.Optional.ofNullable(query.from()),
                        "to",
                        java.util.Optional.ofNullable(query.to()))
                .entrySet()) {
            if (bound.getValue().isPresent()
                    && !GalleryWriter.storable(bound.getValue().get())) {
                throw new InvalidRequestException(
                        bound.getKey(), bound.getKey() + " must be between the years 1 and 9999");
            }
        }
        if (query.from() != null && query.to() != null && !query.from().isBefore(query.to())) {
            throw new InvalidRequestException("to", "to must be later than from");
        }
        return gallery.search(query, cursor("after", after), cursor("before", before), s);
    }

    private static Cursor cursor(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Cursor.decode(text)
                .filter(c -> GalleryWriter.storable(c.completedAt()) && plain(c.jobId()))
                .orElseThrow(() -> new InvalidRequestException(
                        name, name + " must be a cursor that a page of images gave (its next or previous)"));
    }

    /** Refuses control characters (which PostgreSQL cannot compare, NUL least of all) and overlong values. */
    private static void text(String name, String value, int maxLength) {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            throw new InvalidRequestException(name, name + " is longer than " + maxLength + " characters");
        }
        if (!plain(value)) {
            throw new InvalidRequestException(name, name + " must not contain control characters");
        }
    }

    private static boolean plain(String value) {
        return value.chars().noneMatch(Character::isISOControl);
    }

    /** The newest images of a batch, for its page. */
    public ImagePage ofBatch(String batchId, int size) {
        return gallery.search(ImageQuery.ofBatch(batchId), null, null, size);
    }

    public ImageView get(String jobId) {
        return ImageView.of(result(jobId));
    }

    /** The PNG's bytes, streamed from the object store; the caller closes the stream. */
    public InputStream open(String jobId) {
        return store.open(Bucket.IMAGES, result(jobId).imageKey());
    }

    /**
     * A URL the client can fetch the PNG from directly, valid for a while; empty unless the store's public address
     * is configured, since its internal one ({@code minio:9000}, a loopback address) is no use to a browser.
     */
    public Optional<String> presignedUrl(String jobId) {
        GenerationResult result = result(jobId);
        if (!store.signsForPublicEndpoint()) {
            return Optional.empty();
        }
        return Optional.of(store.presignedGet(Bucket.IMAGES, result.imageKey(), Duration.ofMinutes(15)));
    }

    private GenerationResult result(String jobId) {
        if (!plain(jobId)) {
            throw new NotFoundException("no image " + jobId.replaceAll("\\p{Cntrl}", "?"));
        }
        return gallery.image(jobId).orElseThrow(() -> new NotFoundException("no image " + jobId));
    }
}
