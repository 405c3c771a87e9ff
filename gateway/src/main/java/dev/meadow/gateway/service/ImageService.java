package dev.meadow.gateway.service;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.meadow.contracts.GenerationResult;
import dev.meadow.gateway.api.ImagePage;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.storage.Bucket;
import dev.meadow.storage.ObjectStore;

/** The gallery: search, image metadata, and the PNGs themselves. */
@ApplicationScoped
public class ImageService {

    private static final int MAX_PAGE_SIZE = 200;

    @Inject
    ReadModel view;

    @Inject
    ObjectStore store;

    @Inject
    GatewayConfig config;

    public ImagePage search(String query, String batch, String model, Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? config.pageSize() : size;
        if (p < 0) {
            throw new InvalidRequestException("page", "page must not be negative");
        }
        if (s < 1 || s > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return view.images().search(query, batch, model, p, s);
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
        return view.images().get(jobId).orElseThrow(() -> new NotFoundException("no image " + jobId));
    }
}
