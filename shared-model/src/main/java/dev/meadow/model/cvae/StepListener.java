package dev.meadow.model.cvae;

/** Hears each training step of an epoch, e.g. to draw a progress bar. */
@FunctionalInterface
public interface StepListener {

    StepListener NONE = (step, steps, loss) -> {};

    void stepDone(int step, int steps, double loss);
}
