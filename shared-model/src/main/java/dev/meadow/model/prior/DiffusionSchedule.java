package dev.meadow.model.prior;

/**
 * The noise schedule of the diffusion prior: the cosine schedule of Nichol and Dhariwal over {@link #STEPS} training
 * steps, and the evenly spaced subset a deterministic DDIM sampler walks. Everything here is plain arithmetic, shared
 * by training (which noises) and sampling (which denoises), so the two cannot disagree.
 */
final class DiffusionSchedule {

    /** Training timesteps. */
    static final int STEPS = 1000;

    /** Width of the sinusoidal timestep features the network reads. */
    static final int TIME_FEATURES = 32;

    private static final double OFFSET = 0.008;

    private DiffusionSchedule() {}

    /** The share of the signal's variance left at step {@code t} (0: clean, {@link #STEPS}: almost pure noise). */
    static double alphaBar(int t) {
        double f0 = Math.cos(OFFSET / (1 + OFFSET) * Math.PI / 2);
        double ft = Math.cos((t / (double) STEPS + OFFSET) / (1 + OFFSET) * Math.PI / 2);
        return Math.max(1e-5, Math.min(1, (ft * ft) / (f0 * f0)));
    }

    /** Sinusoidal features of step {@code t}, written at {@code out[offset ..]}. */
    static void timeFeatures(int t, float[] out, int offset) {
        int half = TIME_FEATURES / 2;
        for (int k = 0; k < half; k++) {
            double frequency = Math.exp(-Math.log(1000.0) * k / half);
            out[offset + k] = (float) Math.sin(t * frequency);
            out[offset + half + k] = (float) Math.cos(t * frequency);
        }
    }

    /** The {@code steps} timesteps a sampler visits, from the noisiest down, evenly spaced. */
    static int[] samplingSteps(int steps) {
        if (steps < 1 || steps > STEPS) {
            throw new IllegalArgumentException("sampling steps must be between 1 and " + STEPS + ", not " + steps);
        }
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (int) Math.round(STEPS - i * (double) STEPS / steps);
        }
        return out;
    }
}
