package dev.meadow.model.cvae;

import java.util.SplittableRandom;

import dev.meadow.contracts.ConditioningMode;

/** Chooses the condition embedding of a training example, per conditioning mode. */
@FunctionalInterface
interface ConditionSource {

    void fill(int image, SplittableRandom random, float[] out, int offset);

    static ConditionSource of(ConditioningMode mode, CvaeData data, float noiseScale) {
        int d = data.dimension();
        int[][] captions = data.captionsByImage();
        ConditionSource image = (i, r, out, o) -> System.arraycopy(data.imageEmbeddings(), i * d, out, o, d);
        ConditionSource caption = (i, r, out, o) -> {
            int[] options = captions[i];
            if (options.length == 0) {
                image.fill(i, r, out, o);
            } else {
                System.arraycopy(data.captionEmbeddings(), options[r.nextInt(options.length)] * d, out, o, d);
            }
        };
        return switch (mode) {
            case IMAGE -> image;
            case TEXT -> caption;
            case MIXED -> (i, r, out, o) -> (r.nextBoolean() ? image : caption).fill(i, r, out, o);
            case IMAGE_NOISE ->
                (i, r, out, o) -> {
                    image.fill(i, r, out, o);
                    lafiteNoise(out, o, d, noiseScale, r);
                };
        };
    }

    /**
     * LAFITE's perturbation of an image embedding towards where text embeddings lie:
     * {@code h' = normalise(h + xi * eps * |h| / |eps|)}, {@code eps ~ N(0, I)}.
     */
    static void lafiteNoise(float[] h, int offset, int d, float xi, SplittableRandom r) {
        double[] eps = new double[d];
        double epsNorm = 0;
        double hNorm = 0;
        for (int k = 0; k < d; k++) {
            eps[k] = gaussian(r);
            epsNorm += eps[k] * eps[k];
            hNorm += (double) h[offset + k] * h[offset + k];
        }
        double scale = xi * Math.sqrt(hNorm) / Math.sqrt(epsNorm);
        double outNorm = 0;
        for (int k = 0; k < d; k++) {
            double v = h[offset + k] + scale * eps[k];
            h[offset + k] = (float) v;
            outNorm += v * v;
        }
        float inv = (float) (1 / Math.sqrt(outNorm));
        for (int k = 0; k < d; k++) {
            h[offset + k] *= inv;
        }
    }

    /** A standard normal draw (Box-Muller), reproducible from the generator's state. */
    static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** {@code n} rows of {@code d} standard normal draws, each scaled to unit length: random CLIP-like embeddings. */
    static float[] unitRows(int n, int d, SplittableRandom random) {
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                v[i * d + k] = (float) gaussian(random);
                norm += v[i * d + k] * v[i * d + k];
            }
            for (int k = 0; k < d; k++) {
                v[i * d + k] /= (float) Math.sqrt(norm);
            }
        }
        return v;
    }
}
