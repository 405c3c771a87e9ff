package dev.meadow.generator.service;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.generator.config.GeneratorConfig;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.service.models.LoadedModels;
import dev.meadow.service.models.ModelCache;
import dev.meadow.service.models.ModelEvents;
import dev.meadow.service.models.ModelSlot;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The decoders this instance serves with: the active version, loaded in the background and swapped in atomically
 * when the catalog changes (a broken or incompatible one is refused and the current one keeps serving), plus a few
 * pinned versions that requests ask for by name.
 */
@ApplicationScoped
public class DecoderRuntime {

    private static final Logger LOG = Logger.getLogger(DecoderRuntime.class);

    @Inject
    ModelCatalog catalog;

    @Inject
    ModelCache cache;

    @Inject
    ModelEvents events;

    @Inject
    GeneratorConfig config;

    private final ModelSlot<Decoder> active = new ModelSlot<>();
    private final CompletableFuture<Void> firstModel = new CompletableFuture<>();
    private LoadedModels<Decoder> pinned;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> new Thread(r, "decoder-loader"));

    @PostConstruct
    void init() {
        pinned = new LoadedModels<>(
                config.pinnedVersions(),
                version -> catalog.published(ModelKind.CVAE, version).map(this::load));
    }

    void onStart(@Observes StartupEvent event) {
        catalog.onActiveChange(kind -> loader.submit(this::loadActive));
        loader.submit(this::loadActive);
    }

    private void loadActive() {
        Optional<ModelPublished> wanted = catalog.active(ModelKind.CVAE);
        if (wanted.isEmpty() || wanted.get().modelId().equals(activeId().orElse(null))) {
            return;
        }
        ModelPublished model = wanted.get();
        try {
            Decoder decoder = load(model);
            String problem = incompatibility(decoder);
            if (problem != null) {
                decoder.close();
                throw new IllegalStateException(problem);
            }
            active.swap(decoder);
            firstModel.complete(null);
            LOG.infof(
                    "Serving with decoder %s (%s, %dx%d)",
                    model.modelId(), decoder.card().preset(), decoder.imageSize(), decoder.imageSize());
            events.loaded(ModelKind.CVAE, model.modelId());
        } catch (RuntimeException e) {
            LOG.errorf(
                    "Refusing decoder %s, keeping %s: %s",
                    model.modelId(), activeId().orElse("none"), e.getMessage());
            events.refused(ModelKind.CVAE, model.modelId(), e.getMessage());
        }
    }

    private Decoder load(ModelPublished model) {
        Decoder decoder = Decoder.load(cache.fetch(model), config.threads());
        if (!decoder.card().modelId().equals(model.modelId())) {
            String found = decoder.card().modelId();
            decoder.close();
            throw new InvalidModelException("the files published as " + model.modelId() + " hold decoder " + found);
        }
        return decoder;
    }

    /** Why this decoder cannot serve prompts embedded by the active CLIP model, or null if it can. */
    private String incompatibility(Decoder decoder) {
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
        return active.peek(d -> d.card().modelId());
    }

    /**
     * Runs {@code work} with the decoder a request wants: the named version, or the active one when it names none.
     * Empty when that version is neither active nor published; {@code work} must not return null.
     *
     * @throws InvalidModelException when the pinned version is published but its files are broken
     */
    public <R> Optional<R> use(String version, Function<Decoder, R> work) {
        if (version == null) {
            return active.use(work);
        }
        // Checked on the decoder that does the work: a swap in between must not serve the request with another.
        Optional<R> served = active.useIf(decoder -> decoder.card().modelId().equals(version), work);
        return served.isPresent() ? served : pinned.use(version, work);
    }

    /** Completes once an active decoder serves; work waits here (in Kafka) rather than failing. */
    public Uni<Void> awaitModel() {
        return Uni.createFrom().completionStage(firstModel);
    }

    @PreDestroy
    void stop() {
        loader.shutdownNow();
        active.close();
        pinned.close();
    }
}
