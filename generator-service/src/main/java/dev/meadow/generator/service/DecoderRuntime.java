package dev.meadow.generator.service;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.prior.Prior;
import dev.meadow.service.models.ActiveModel;
import dev.meadow.service.models.LoadedModels;
import dev.meadow.service.models.ModelCache;
import dev.meadow.service.models.ModelRefusedException;
import dev.meadow.service.models.ModelRuntime;
import dev.meadow.service.models.ModelType;
import dev.meadow.storage.ObjectNotFoundException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The decoders this instance serves with: the active version, followed through the catalog and swapped in as it
 * changes (one that does not fit the active CLIP is refused and the current one keeps serving), plus a few versions
 * that requests pin by id, loaded on first use. A decoder whose card names a prior is loaded with that prior, as
 * one model: the pair is swapped in and out together.
 */
@ApplicationScoped
public class DecoderRuntime {

    private static final Logger LOG = Logger.getLogger(DecoderRuntime.class);

    private final ActiveModel<ServedDecoder> active;
    private final LoadedModels<ServedDecoder> pinned;

    public DecoderRuntime(ModelRuntime models, ModelCatalog catalog, ModelCache cache, GeneratorConfig config) {
        ModelType<ServedDecoder> type = ModelType.of(
                ModelKind.CVAE,
                dir -> load(dir, catalog, cache, config),
                InvalidModelException::meansBrokenFiles,
                ServedDecoder::modelId);
        this.active = models.active(type.fittedBy((served, published) -> incompatibility(served.drawing(), catalog)));
        this.pinned = models.byId(type, config.pinnedVersions());
    }

    private static ServedDecoder load(Path directory, ModelCatalog catalog, ModelCache cache, GeneratorConfig config) {
        Decoder decoder = Decoder.load(directory, config.threads(), config.precision());
        String priorId = decoder.card().priorModelId();
        if (priorId == null) {
            LOG.infof(
                    "Decoder %s loaded: decoding in %s (precision %s asked), TensorFlow threads: %d",
                    decoder.card().modelId(), decoder.precision(), config.precision(), config.threads());
            return ServedDecoder.alone(decoder);
        }
        Prior prior = null;
        try {
            // Not published yet, or files missing, is transient (a pair is published prior first, but a reader may
            // be behind): the active decoder's load is tried again. Files that do not load, or a prior that does not
            // fit, refuse the decoder.
            ModelPublished published = catalog.published(ModelKind.PRIOR, priorId)
                    .orElseThrow(() -> new PriorUnavailableException(
                            "decoder " + decoder.card().modelId() + " draws through prior " + priorId
                                    + ", which is not published",
                            null));
            Path files;
            try {
                files = cache.fetch(published);
            } catch (ObjectNotFoundException e) {
                throw new PriorUnavailableException(
                        "the files of prior " + priorId + " are missing from the object store: " + e.getMessage(), e);
            }
            prior = Prior.load(files, config.threads());
            if (!prior.modelId().equals(priorId)) {
                throw new InvalidModelException(
                        "the files published as prior " + priorId + " hold prior " + prior.modelId());
            }
            ServedDecoder served = ServedDecoder.withPrior(decoder, prior);
            LOG.infof(
                    "Decoder %s loaded with prior %s: decoding in %s (precision %s asked), TensorFlow threads: %d",
                    decoder.card().modelId(), priorId, decoder.precision(), config.precision(), config.threads());
            return served;
        } catch (RuntimeException e) {
            decoder.close();
            if (prior != null) {
                prior.close();
            }
            throw e;
        }
    }

    void onStart(@Observes StartupEvent event) {
        active.start();
    }

    /** Why this decoder cannot serve prompts embedded by the active CLIP model, or null if it can. */
    private static String incompatibility(Decoder decoder, ModelCatalog catalog) {
        Optional<ModelPublished> clip = catalog.active(ModelKind.CLIP);
        if (clip.isEmpty()) {
            return null;
        }
        if (!clip.get().modelId().equals(decoder.card().clipModelId())) {
            return "decoder " + decoder.card().modelId() + " was trained against CLIP "
                    + decoder.card().clipModelId() + " but the active CLIP is "
                    + clip.get().modelId();
        }
        if (clip.get().embeddingDimension() != decoder.conditionDim()) {
            return "decoder " + decoder.card().modelId() + " takes " + decoder.conditionDim()
                    + "-dimensional conditions but CLIP " + clip.get().modelId() + " makes "
                    + clip.get().embeddingDimension();
        }
        return null;
    }

    public Optional<String> activeId() {
        return active.activeId();
    }

    /**
     * Runs {@code work} with the decoder a request wants: the named version, or the active one when it names none.
     * Empty when that version is neither active nor published; {@code work} must not return null.
     *
     * @throws ModelRefusedException when the pinned version is published but refused
     */
    public <R> Optional<R> use(String version, Function<Decoder, R> work) {
        Function<ServedDecoder, R> drawing = served -> work.apply(served.drawing());
        if (version == null) {
            return active.use(drawing);
        }
        // Checked on the decoder that does the work: a swap in between must not serve the request with another.
        Optional<R> served = active.useIf(decoder -> decoder.modelId().equals(version), drawing);
        if (served.isPresent()) {
            return served;
        }
        try {
            return pinned.use(version, drawing);
        } catch (PriorUnavailableException e) {
            // Not remembered: the prior may be published yet. The requests fail with the reason meanwhile, rather
            // than the batch being redelivered for ever.
            throw new ModelRefusedException(ModelKind.CVAE, version, e.getMessage(), e);
        }
    }

    /**
     * A decoder's prior cannot be had right now (not published, or its files missing): the active decoder's load is
     * tried again later; a request pinned to the decoder fails with the reason.
     */
    static final class PriorUnavailableException extends RuntimeException {
        PriorUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Completes once an active decoder serves; work waits here (in Kafka) rather than failing. */
    public Uni<Void> awaitModel() {
        return Uni.createFrom().completionStage(active.firstModel());
    }

    @PreDestroy
    void stop() {
        active.close();
        pinned.close();
    }
}
