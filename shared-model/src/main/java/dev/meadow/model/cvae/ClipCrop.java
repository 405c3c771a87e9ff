package dev.meadow.model.cvae;

import java.util.SplittableRandom;

/**
 * A random crop of a batch of pictures, scaled back to full size and mirrored half the time, for the
 * CLIP-consistency term: the frozen CLIP's border (where its zero padding makes every feature special) lands at a
 * different place in the decoder's picture at every step, up to a quarter of the side in, so no pattern near the
 * decoder's own edges pays. {@link ClipViews}' shifts of a few pixels, reflected at the border, left the CLIP's
 * border within a few pixels of the decoder's, and decoders drew lines there.
 *
 * <p>Like {@link ClipViews}, two bilinear resampling matrices drawn on the host from the step's seed.
 *
 * @param rowMatrix {@code side x side}, row-major: output row i is {@code sum_j M[i][j] * input row j}
 * @param columnMatrix the same for columns
 */
record ClipCrop(int side, float[] rowMatrix, float[] columnMatrix) {

    /**
     * A crop whose side is a uniform share in [{@code smallestScale}, 1] of the picture's, at a uniform place
     * inside it, mirrored half the time.
     */
    static ClipCrop random(SplittableRandom random, int side, double smallestScale) {
        if (!(smallestScale > 0 && smallestScale <= 1)) {
            throw new IllegalArgumentException("the smallest crop scale must be in (0, 1], got " + smallestScale);
        }
        double scale = smallestScale + random.nextDouble() * (1 - smallestScale);
        double crop = scale * side;
        double top = random.nextDouble() * (side - crop);
        double left = random.nextDouble() * (side - crop);
        boolean mirror = random.nextBoolean();
        return new ClipCrop(side, resampling(side, top, crop, false), resampling(side, left, crop, mirror));
    }

    /**
     * Output index i reads the input at {@code start + (i + 0.5) * length / side - 0.5} (pixel centres), linearly
     * between its two neighbours; mirrored, output i reads what output {@code side - 1 - i} would.
     */
    static float[] resampling(int side, double start, double length, boolean mirror) {
        float[] matrix = new float[side * side];
        for (int i = 0; i < side; i++) {
            int from = mirror ? side - 1 - i : i;
            double at = Math.min(side - 1, Math.max(0, start + (from + 0.5) * length / side - 0.5));
            int below = (int) Math.floor(at);
            int above = Math.min(side - 1, below + 1);
            double weight = at - below;
            matrix[i * side + below] += (float) (1 - weight);
            matrix[i * side + above] += (float) weight;
        }
        return matrix;
    }
}
