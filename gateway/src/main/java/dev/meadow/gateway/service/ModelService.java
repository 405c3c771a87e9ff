package dev.meadow.gateway.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.meadow.contracts.ModelActivated;
import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.messaging.ModelPublisher;
import dev.meadow.gateway.messaging.SubmissionPublisher;
import dev.meadow.gateway.service.errors.ConflictException;
import dev.meadow.gateway.service.errors.NotFoundException;
import dev.meadow.gateway.service.readmodel.ReadModel;
import dev.meadow.messaging.ModelCatalog;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

/** Published model versions, and rolling the active one forward or back. */
@ApplicationScoped
public class ModelService {

    private final ModelCatalog catalog;
    private final ModelPublisher publisher;
    private final SubmissionPublisher submissions;
    private final ReadModel readModel;

    public ModelService(
            ModelCatalog catalog, ModelPublisher publisher, SubmissionPublisher submissions, ReadModel readModel) {
        this.catalog = catalog;
        this.publisher = publisher;
        this.submissions = submissions;
        this.readModel = readModel;
    }

    public List<ModelView> list(ModelKind kind) {
        String active = activeId(kind);
        return catalog.all(kind).stream()
                .map(m -> view(m, m.modelId().equals(active)))
                .toList();
    }

    public ModelView get(ModelKind kind, String modelId) {
        ModelPublished model = catalog.published(kind, modelId)
                .orElseThrow(() -> new NotFoundException("no " + kind.id() + " model " + modelId + " is published"));
        return view(model, modelId.equals(activeId(kind)));
    }

    /**
     * The active version of a kind. The active prior is the active decoder's: it is served with that decoder only,
     * so a decoder without one leaves no prior active, whatever was activated with an earlier decoder.
     */
    private String activeId(ModelKind kind) {
        if (kind == ModelKind.PRIOR) {
            return catalog.active(ModelKind.CVAE)
                    .map(ModelPublished::priorModelId)
                    .orElse(null);
        }
        return catalog.activeId(kind).orElse(null);
    }

    /**
     * How far decoder {@code modelId} draws each picture's condition from the prompt's, when it draws with any
     * noise: a model's card never changes, so this is how each of its pictures was drawn.
     */
    public Optional<Double> conditionNoise(String modelId) {
        if (modelId == null) {
            return Optional.empty();
        }
        return catalog.published(ModelKind.CVAE, modelId)
                .map(ModelPublished::conditionNoise)
                .filter(xi -> xi > 0);
    }

    /**
     * Makes a published version the active one. A decoder trained against another CLIP than the active one is
     * activated together with that CLIP, and a decoder that draws through a prior together with that prior, in one
     * transaction; a CLIP alone can only become active if the active decoder was trained against it, and a prior
     * only with a decoder that names it.
     */
    public Uni<ModelView> activate(ModelKind kind, String modelId) {
        ModelPublished model = catalog.published(kind, modelId)
                .orElseThrow(() -> new NotFoundException("no " + kind.id() + " model " + modelId + " is published"));
        Instant now = Instant.now();
        if (kind == ModelKind.CVAE) {
            List<ModelEvent> together = new ArrayList<>();
            Optional<ModelPublished> activeClip = catalog.active(ModelKind.CLIP);
            if (activeClip.isPresent() && !activeClip.get().modelId().equals(model.clipModelId())) {
                ModelPublished clip = catalog.published(ModelKind.CLIP, model.clipModelId())
                        .orElseThrow(() -> new ConflictException("decoder " + modelId + " was trained against CLIP "
                                + model.clipModelId() + ", which is not published"));
                if (clip.embeddingDimension() != model.embeddingDimension()) {
                    throw new ConflictException("decoder " + modelId + " takes " + model.embeddingDimension()
                            + "-dimensional conditions but CLIP " + clip.modelId() + " makes "
                            + clip.embeddingDimension());
                }
                together.add(ModelActivated.of(ModelKind.CLIP, clip.modelId(), now));
            }
            if (model.priorModelId() != null) {
                ModelPublished prior = catalog.published(ModelKind.PRIOR, model.priorModelId())
                        .orElseThrow(() -> new ConflictException("decoder " + modelId + " draws through prior "
                                + model.priorModelId() + ", which is not published"));
                if (model.conditioning() == dev.meadow.contracts.ConditioningMode.TEXT) {
                    throw new ConflictException("decoder " + modelId + " was trained on text embeddings and cannot"
                            + " draw through prior " + prior.modelId() + ", which draws image embeddings");
                }
                if (!prior.clipModelId().equals(model.clipModelId())
                        || prior.embeddingDimension() != model.embeddingDimension()) {
                    throw new ConflictException("decoder " + modelId + " (CLIP " + model.clipModelId() + ", "
                            + model.embeddingDimension() + " dimensions) cannot draw through prior " + prior.modelId()
                            + " (CLIP " + prior.clipModelId() + ", " + prior.embeddingDimension() + " dimensions)");
                }
                together.add(ModelActivated.of(ModelKind.PRIOR, prior.modelId(), now));
            }
            if (!together.isEmpty()) {
                together.add(ModelActivated.of(ModelKind.CVAE, modelId, now));
                return Uni.createFrom()
                        .item(() -> {
                            submissions.publishTogether(together);
                            return view(model, true);
                        })
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
            }
        } else if (kind == ModelKind.PRIOR) {
            // A prior serves only inside its decoder: activating it means activating a decoder that names it.
            Optional<ModelPublished> decoder = catalog.active(ModelKind.CVAE);
            if (decoder.isPresent() && modelId.equals(decoder.get().priorModelId())) {
                return Uni.createFrom().item(view(model, true));
            }
            List<String> partners = catalog.all(ModelKind.CVAE).stream()
                    .filter(m -> modelId.equals(m.priorModelId()))
                    .map(ModelPublished::modelId)
                    .sorted()
                    .toList();
            throw new ConflictException("a prior is activated with the decoder that draws through it; "
                    + (partners.isEmpty()
                            ? "no published decoder draws through prior " + modelId
                            : "activate " + String.join(" or ", partners) + ", which activates prior " + modelId
                                    + " with it"));
        } else {
            whyClipCannotBeActivatedAlone(modelId).ifPresent(reason -> {
                throw new ConflictException(reason);
            });
        }
        return publisher.publish(ModelActivated.of(kind, modelId, now)).replaceWith(view(model, true));
    }

    /** The published decoders trained against CLIP {@code clipModelId}, by id. */
    public List<String> decodersTrainedAgainst(String clipModelId) {
        return catalog.all(ModelKind.CVAE).stream()
                .filter(m -> m.clipModelId().equals(clipModelId))
                .map(ModelPublished::modelId)
                .sorted()
                .toList();
    }

    /** Why CLIP {@code modelId} cannot become active on its own (the active decoder needs another), if it cannot. */
    public Optional<String> whyClipCannotBeActivatedAlone(String modelId) {
        Optional<ModelPublished> decoder = catalog.active(ModelKind.CVAE);
        if (decoder.isEmpty() || decoder.get().clipModelId().equals(modelId)) {
            return Optional.empty();
        }
        List<String> partners = decodersTrainedAgainst(modelId);
        return Optional.of("the active decoder " + decoder.get().modelId() + " needs CLIP "
                + decoder.get().clipModelId() + "; "
                + (partners.isEmpty()
                        ? "no published decoder was trained against " + modelId
                        : "activate a decoder trained against " + modelId + " (" + String.join(", ", partners)
                                + "), which activates " + modelId + " with it"));
    }

    /**
     * Why requests cannot be pinned to decoder {@code version}, naming the decoders that can serve them; empty when
     * it can serve. Prompts are embedded by the active CLIP, so a decoder trained against another one cannot.
     */
    public Optional<String> whyDecoderCannotServe(String version) {
        Optional<ModelPublished> clip = catalog.active(ModelKind.CLIP);
        Optional<ModelPublished> decoder = catalog.published(ModelKind.CVAE, version);
        if (decoder.isEmpty()) {
            return Optional.of("modelVersion " + version + " is not published; " + alternatives(clip));
        }
        Optional<String> priorProblem = whyPriorCannotServe(decoder.get());
        if (priorProblem.isPresent()) {
            return Optional.of(priorProblem.get() + "; " + alternatives(clip));
        }
        if (clip.isPresent() && !servesWith(decoder.get(), clip.get())) {
            return Optional.of("decoder " + version + " was trained against CLIP "
                    + decoder.get().clipModelId()
                    + " (" + decoder.get().embeddingDimension()
                    + " dimensions), but prompts are embedded by the active "
                    + "CLIP " + clip.get().modelId() + "; " + alternatives(clip));
        }
        return Optional.empty();
    }

    /** The decoders that can serve prompts embedded by the active CLIP, for a refusal to name. */
    private String alternatives(Optional<ModelPublished> clip) {
        List<String> usable = catalog.all(ModelKind.CVAE).stream()
                .filter(m -> (clip.isEmpty() || servesWith(m, clip.get()))
                        && whyPriorCannotServe(m).isEmpty())
                .map(ModelPublished::modelId)
                .sorted()
                .toList();
        return usable.isEmpty()
                ? "no decoder that can serve is published"
                : "decoders that can serve: " + String.join(", ", usable);
    }

    /**
     * Why a decoder's prior keeps it from serving (not published, or drawing another CLIP's embeddings), if it does.
     * The generator loads a decoder only with its prior, whether a request skips the prior or not.
     */
    private Optional<String> whyPriorCannotServe(ModelPublished decoder) {
        String id = decoder.priorModelId();
        if (id == null) {
            return Optional.empty();
        }
        Optional<ModelPublished> prior = catalog.published(ModelKind.PRIOR, id);
        if (prior.isEmpty()) {
            return Optional.of(
                    "decoder " + decoder.modelId() + " draws through prior " + id + ", which is not published");
        }
        if (!prior.get().clipModelId().equals(decoder.clipModelId())
                || prior.get().embeddingDimension() != decoder.embeddingDimension()) {
            return Optional.of(
                    "decoder " + decoder.modelId() + " names prior " + id + ", which draws embeddings of CLIP "
                            + prior.get().clipModelId() + ", not of " + decoder.clipModelId());
        }
        return Optional.empty();
    }

    private static boolean servesWith(ModelPublished decoder, ModelPublished clip) {
        return decoder.clipModelId().equals(clip.modelId())
                && decoder.embeddingDimension() == clip.embeddingDimension();
    }

    private ModelView view(ModelPublished model, boolean active) {
        return ModelView.of(
                model,
                active,
                model.runId() == null ? List.of() : readModel.training().epochs(model.runId()));
    }

    public static ModelKind kind(String id) {
        try {
            return ModelKind.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException(
                    "unknown model kind '" + id.toLowerCase(Locale.ROOT) + "'; kinds are clip, cvae and prior");
        }
    }
}
