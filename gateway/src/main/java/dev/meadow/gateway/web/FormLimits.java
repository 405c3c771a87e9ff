package dev.meadow.gateway.web;

import dev.meadow.gateway.config.GatewayConfig;
import dev.meadow.gateway.service.batch.BatchItem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The limits that the gallery's forms show ({@code {inject:limits.maxPromptLength}} in a template), read from the
 * same configuration that the API enforces, so that a page never offers what the API refuses.
 */
@Named("limits")
@ApplicationScoped
public class FormLimits {

    private final GatewayConfig config;

    FormLimits(GatewayConfig config) {
        this.config = config;
    }

    public int maxPromptLength() {
        return config.maxPromptLength();
    }

    public int maxVariants() {
        return config.maxVariants();
    }

    /** New seeds of "more like this": never more than one prompt may ask for. */
    public int moreLikeThis() {
        return Math.min(config.moreLikeThis(), config.maxVariants());
    }

    public int defaultSteps() {
        return Math.min(BatchItem.DEFAULT_STEPS, config.maxVariants());
    }

    public int defaultEpochs() {
        return config.datasets().defaultEpochs();
    }

    public int maxEpochs() {
        return config.datasets().maxEpochs();
    }
}
