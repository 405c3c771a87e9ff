package dev.meadow.gateway.service;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.image.Png;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.ReverseCaptioner;
import dev.meadow.service.models.ModelCache;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Reverse captions: the captions of the judge CLIP's pool closest to a generated image. The judge is a CLIP model
 * trained apart from the conditioning one, so the answer says what the picture shows, not what it was asked for.
 * It is loaded on first use and kept.
 */
@ApplicationScoped
public class CaptionService {

    /** One caption and its cosine similarity to the picture. */
    public record Caption(String caption, double similarity) {}

    @Inject
    GatewayConfig config;

    @Inject
    ModelCatalog catalog;

    @Inject
    ModelCache cache;

    @Inject
    ImageService images;

    private ClipModel judge;
    private ReverseCaptioner captioner;
    /** The publication of the judge that could not be loaded, and why: not tried again until it is republished. */
    private ModelPublished refused;

    private String refusal;

    public List<Caption> closest(String jobId) {
        ImageView image = images.get(jobId);
        ReverseCaptioner reverse = captioner();
        BufferedImage picture;
        try (InputStream png = images.open(image.jobId())) {
            picture = Png.decode(png.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + jobId, e);
        }
        synchronized (reverse) {
            return reverse.closest(picture, config.captions().count()).stream()
                    .map(m -> new Caption(m.caption(), m.similarity()))
                    .toList();
        }
    }

    /** The judge's model id, when one is configured and published. */
    public String judgeModelId() {
        return config.captions().judgeModel().orElse(null);
    }

    private synchronized ReverseCaptioner captioner() {
        if (captioner != null) {
            return captioner;
        }
        String id = config.captions()
                .judgeModel()
                .orElseThrow(
                        () -> new ServiceUnavailableException(
                                "reverse captions are off: no judge CLIP model is configured (meadow.gateway.captions.judge-model)"));
        ModelPublished published = catalog.published(ModelKind.CLIP, id)
                .orElseThrow(() -> new ServiceUnavailableException("judge CLIP model " + id + " is not published"));
        if (published.equals(refused)) {
            throw new ServiceUnavailableException(refusal);
        }
        ClipModel model = null;
        try {
            model = ClipModel.load(cache.fetch(published));
            captioner = ReverseCaptioner.forModel(model);
        } catch (InvalidModelException | IllegalArgumentException e) {
            if (model != null) {
                model.close();
            }
            // Broken files stay broken: remember why, rather than fetch and load them again for every page.
            refused = published;
            refusal = "judge CLIP model " + id + " cannot be loaded: " + e.getMessage();
            throw new ServiceUnavailableException(refusal);
        }
        judge = model;
        return captioner;
    }

    @PreDestroy
    synchronized void close() {
        if (judge != null) {
            judge.close();
        }
    }
}
