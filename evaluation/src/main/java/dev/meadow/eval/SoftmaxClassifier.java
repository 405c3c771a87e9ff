package dev.meadow.eval;

import java.util.SplittableRandom;

/**
 * Multinomial logistic regression on standardised features, trained with mini-batch Adam: small, deterministic for a
 * seed, and enough for colour statistics over image regions.
 */
final class SoftmaxClassifier {

    private final double[] featureMean;
    private final double[] featureScale;
    private final double[][] weights;
    private final double[] bias;

    private SoftmaxClassifier(double[] featureMean, double[] featureScale, double[][] weights, double[] bias) {
        this.featureMean = featureMean;
        this.featureScale = featureScale;
        this.weights = weights;
        this.bias = bias;
    }

    static SoftmaxClassifier fit(double[][] features, int[] labels, int classes, int epochs, double l2, long seed) {
        int n = features.length;
        int d = features[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / n;
            }
        }
        for (double[] row : features) {
            for (int j = 0; j < d; j++) {
                scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = Math.sqrt(scale[j]) + 1e-6;
        }
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            x[i] = standardise(features[i], mean, scale);
        }
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double[][] mw = new double[classes][d];
        double[][] vw = new double[classes][d];
        double[] mb = new double[classes];
        double[] vb = new double[classes];
        double rate = 0.01;
        double beta1 = 0.9;
        double beta2 = 0.999;
        int batch = 64;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] gw = new double[classes][d];
        double[] gb = new double[classes];
        double[] p = new double[classes];
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                for (double[] row : gw) {
                    java.util.Arrays.fill(row, 0);
                }
                java.util.Arrays.fill(gb, 0);
                for (int k = start; k < end; k++) {
                    double[] xi = x[order[k]];
                    probabilities(w, b, xi, p);
                    p[labels[order[k]]] -= 1;
                    for (int c = 0; c < classes; c++) {
                        double g = p[c] / (end - start);
                        gb[c] += g;
                        double[] gwc = gw[c];
                        for (int j = 0; j < d; j++) {
                            gwc[j] += g * xi[j];
                        }
                    }
                }
                step++;
                double correction1 = 1 - Math.pow(beta1, step);
                double correction2 = 1 - Math.pow(beta2, step);
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < d; j++) {
                        double g = gw[c][j] + l2 * w[c][j];
                        mw[c][j] = beta1 * mw[c][j] + (1 - beta1) * g;
                        vw[c][j] = beta2 * vw[c][j] + (1 - beta2) * g * g;
                        w[c][j] -= rate * (mw[c][j] / correction1) / (Math.sqrt(vw[c][j] / correction2) + 1e-8);
                    }
                    mb[c] = beta1 * mb[c] + (1 - beta1) * gb[c];
                    vb[c] = beta2 * vb[c] + (1 - beta2) * gb[c] * gb[c];
                    b[c] -= rate * (mb[c] / correction1) / (Math.sqrt(vb[c] / correction2) + 1e-8);
                }
            }
        }
        return new SoftmaxClassifier(mean, scale, w, b);
    }

    int predict(double[] features) {
        double[] p = new double[bias.length];
        probabilities(weights, bias, standardise(features, featureMean, featureScale), p);
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double[] standardise(double[] features, double[] mean, double[] scale) {
        double[] out = new double[features.length];
        for (int j = 0; j < features.length; j++) {
            out[j] = (features[j] - mean[j]) / scale[j];
        }
        return out;
    }

    private static void probabilities(double[][] w, double[] b, double[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < b.length; c++) {
            double z = b[c];
            double[] wc = w[c];
            for (int j = 0; j < x.length; j++) {
                z += wc[j] * x[j];
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < b.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < b.length; c++) {
            out[c] /= sum;
        }
    }
}
