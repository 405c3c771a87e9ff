package dev.meadow.trainer.service;

import dev.meadow.contracts.ModelEvent;
import dev.meadow.contracts.TrainingEvent;

/**
 * Where a training run reports: its progress ({@code training-events}) and the models it publishes ({@code models}),
 * each acknowledged before training goes on. Implemented by the messaging layer.
 */
public interface TrainingOutput {

    void event(TrainingEvent event);

    void model(ModelEvent event);
}
