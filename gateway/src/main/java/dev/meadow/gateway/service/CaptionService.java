package dev.meadow.gateway.service;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import dev.meadow.contracts.ModelKind;
import dev.meadow.gateway.api.ImageView;
import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.errors.ServiceUnavailableException;
import dev.meadow.image.Png;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.ReverseCaptioner;
import dev.meadow.service.models.LoadedModels;
import dev.meadow.service.models.ModelRefusedException;
import dev.meadow.service.models.ModelRuntime;
import dev.meadow.service.models.ModelType;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reverse captions: the captions of the judge CLIP's pool closest to a generated image. The judge is a CLIP model
 * trained apart from the conditioning one, so the answer says what the picture shows, not what it was asked for.
 * It is loaded on first use and kept; a judge that cannot be loaded is refused once (and reported on
 * {@code model-events}) until it is published again.
 */
@ApplicationScoped
public class CaptionService {

    /** One caption and its cosine similarity to the picture. */
    public record Caption(String caption, double similarity) {}

    /** The judge's model and its caption pool, embedded once. */
    private record Judge(ClipModel model, ReverseCaptioner captioner) implements AutoCloseable {
        static Judge open(ClipModel model) {
            try {
                return new Judge(model, ReverseCaptioner.forModel(model));
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    private final GatewayConfig config;
    private final ImageService images;
    private final LoadedModels<Judge> judges;

    public CaptionService(GatewayConfig config, ImageService images, ModelRuntime models) {
        this.config = config;
        this.images = images;
        this.judges = models.byId(
                ModelType.of(
                        ModelKind.CLIP,
                        dir -> Judge.open(ClipModel.load(dir)),
                        InvalidModelException::meansBrokenFiles,
                        judge -> judge.model().modelId()),
                1);
    }

    public List<Caption> closest(String jobId) {
        String judgeId = config.captions()
                .judgeModel()
                .orElseThrow(
                        () -> new ServiceUnavailableException(
                                "reverse captions are off: no judge CLIP model is configured (meadow.gateway.captions.judge-model)"));
        ImageView image = images.get(jobId);
        BufferedImage picture;
        try (InputStream png = images.open(image.jobId())) {
            picture = Png.decode(png.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + jobId, e);
        }
        try {
            return judges.use(judgeId, judge -> {
                        synchronized (judge) {
                            return judge
                                    .captioner()
                                    .closest(picture, config.captions().count())
                                    .stream()
                                    .map(m -> new Caption(m.caption(), m.similarity()))
                                    .toList();
                        }
                    })
                    .orElseThrow(
                            () -> new ServiceUnavailableException("judge CLIP model " + judgeId + " is not published"));
        } catch (ModelRefusedException e) {
            throw new ServiceUnavailableException("judge CLIP model " + judgeId + " cannot be loaded: " + e.reason());
        }
    }

    /** The judge's model id, when one is configured and published. */
    public String judgeModelId() {
        return config.captions().judgeModel().orElse(null);
    }

    @PreDestroy
    void close() {
        judges.close();
    }
}
