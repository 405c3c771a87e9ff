package dev.meadow.eval;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Fréchet distance between Gaussian fits of two embedding sets (the FID formula, in CLIP space):
 * |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2).
 * Uses decompositions of symmetric matrices only, so it stays real and stable where sqrtm(S1 S2) would not.
 */
public final class FrechetDistance {

    private FrechetDistance() {}

    /** Mean and (unbiased) covariance of a set of row vectors. */
    public record Gaussian(double[] mean, double[][] covariance) {

        public static Gaussian fit(float[][] rows) {
            if (rows.length < 2) {
                throw new IllegalArgumentException("a Gaussian fit needs at least 2 embeddings, got " + rows.length);
            }
            int d = rows[0].length;
            double[] mean = new double[d];
            for (float[] row : rows) {
                if (row.length != d) {
                    throw new IllegalArgumentException("embeddings of different sizes: " + d + " and " + row.length);
                }
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= rows.length;
            }
            double[][] cov = new double[d][d];
            double[] centred = new double[d];
            for (float[] row : rows) {
                for (int j = 0; j < d; j++) {
                    centred[j] = row[j] - mean[j];
                }
                for (int a = 0; a < d; a++) {
                    double ca = centred[a];
                    double[] covRow = cov[a];
                    for (int b = a; b < d; b++) {
                        covRow[b] += ca * centred[b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    cov[a][b] /= rows.length - 1;
                    cov[b][a] = cov[a][b];
                }
            }
            return new Gaussian(mean, cov);
        }
    }

    public static double between(float[][] first, float[][] second) {
        return between(Gaussian.fit(first), Gaussian.fit(second));
    }

    public static double between(Gaussian first, Gaussian second) {
        int d = first.mean().length;
        if (second.mean().length != d) {
            throw new IllegalArgumentException("embeddings of different sizes: " + d + " and " + second.mean().length);
        }
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = first.mean()[j] - second.mean()[j];
            meanTerm += diff * diff;
        }
        RealMatrix s1 = new Array2DRowRealMatrix(first.covariance(), false);
        RealMatrix s2 = new Array2DRowRealMatrix(second.covariance(), false);
        RealMatrix root1 = symmetricSqrt(s1);
        RealMatrix inner = root1.multiply(s2).multiply(root1);
        symmetrise(inner);
        double traceRoot = 0;
        // For a symmetric positive semi-definite matrix the singular values are the eigenvalues; the SVD converges
        // where the eigen solver can give up on near-degenerate spectra (seen on 256-dimensional CLIP embeddings).
        for (double value : new SingularValueDecomposition(inner).getSingularValues()) {
            traceRoot += Math.sqrt(value);
        }
        double distance = meanTerm + s1.getTrace() + s2.getTrace() - 2 * traceRoot;
        // Rounding can leave a tiny negative number for identical sets.
        return Math.max(distance, 0);
    }

    /** The square root of a covariance (symmetric PSD): U sqrt(S) U^T from its SVD. */
    private static RealMatrix symmetricSqrt(RealMatrix symmetric) {
        SingularValueDecomposition svd = new SingularValueDecomposition(symmetric);
        RealMatrix v = svd.getU();
        double[] values = svd.getSingularValues();
        int d = values.length;
        RealMatrix scaled = v.copy();
        for (int j = 0; j < d; j++) {
            double root = Math.sqrt(Math.max(values[j], 0));
            for (int i = 0; i < d; i++) {
                scaled.multiplyEntry(i, j, root);
            }
        }
        RealMatrix root = scaled.multiply(v.transpose());
        symmetrise(root);
        return root;
    }

    private static void symmetrise(RealMatrix m) {
        int d = m.getRowDimension();
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double mean = (m.getEntry(i, j) + m.getEntry(j, i)) / 2;
                m.setEntry(i, j, mean);
                m.setEntry(j, i, mean);
            }
        }
    }
}
