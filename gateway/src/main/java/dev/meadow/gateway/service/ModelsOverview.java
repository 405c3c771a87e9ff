package dev.meadow.gateway.service;

import java.util.List;

import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelLoadEvent;
import dev.meadow.gateway.api.ModelView;
import dev.meadow.gateway.service.readmodel.LossChart;
import dev.meadow.gateway.service.readmodel.ReadModel;
import jakarta.enterprise.context.ApplicationScoped;

/** What the models page shows beyond the API: decoders with their training curves, CLIP models and why one cannot be activated alone, recent refusals. */
@ApplicationScoped
public class ModelsOverview {

    /** A model version with its training curve (null when it was not trained here). */
    public record ModelCard(ModelView model, LossChart chart) {}

    private final ModelService models;
    private final ReadModel readModel;

    public ModelsOverview(ModelService models, ReadModel readModel) {
        this.models = models;
        this.readModel = readModel;
    }

    public List<ModelCard> decoders() {
        return models.list(ModelKind.CVAE).stream()
                .map(m -> new ModelCard(
                        m,
                        m.runId() == null
                                ? null
                                : LossChart.of(readModel.training().epochs(m.runId()), m.bestEpoch())))
                .toList();
    }

    /**
     * A CLIP model and, when it cannot be activated on its own, why ({@code blocked}) and what to do instead
     * ({@code hint}).
     */
    public record ClipRow(ModelView model, String blocked, String hint) {}

    public List<ClipRow> clipModels() {
        return models.list(ModelKind.CLIP).stream()
                .map(m -> {
                    String blocked = m.active()
                            ? null
                            : models.whyClipCannotBeActivatedAlone(m.modelId()).orElse(null);
                    String hint = blocked == null
                            ? null
                            : models.decodersTrainedAgainst(m.modelId()).isEmpty()
                                    ? "no decoder was trained against it"
                                    : "activate one of its decoders";
                    return new ClipRow(m, blocked, hint);
                })
                .toList();
    }

    /** Published priors; the active one is the active decoder's. */
    public List<ModelView> priors() {
        return models.list(ModelKind.PRIOR);
    }

    public List<ModelLoadEvent> refusals() {
        return readModel.modelEvents().recent().stream()
                .filter(e -> e.outcome() == ModelLoadEvent.Outcome.REFUSED)
                .limit(10)
                .toList();
    }
}
