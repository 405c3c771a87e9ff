package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import dev.meadow.image.ImageArrays;

/**
 * Lines along the left and right edges of pictures ({@link dev.meadow.contracts.EvalReport.EdgeColumns}): the mean
 * absolute horizontal luminance step between neighbouring columns, over every row of every picture, gives one value
 * per column pair; the strongest pair within {@link #EDGE} pixels of an edge is measured against the interior's
 * median, in units of the interior's median absolute deviation. A faint line a few pixels in, drawn the same in every
 * picture, stands out in the mean; scene content, which moves from picture to picture, averages out.
 */
public final class EdgeColumns {

    /** How far from an edge a column counts as an edge column. */
    static final int EDGE = 8;

    private EdgeColumns() {}

    /** The anomaly of {@code pictures}, all brought to {@code size} pixels. */
    public static double anomaly(List<BufferedImage> pictures, int size) {
        if (pictures.isEmpty()) {
            throw new IllegalArgumentException("no pictures to measure");
        }
        if (size < 4 * EDGE) {
            throw new IllegalArgumentException("pictures of at least " + 4 * EDGE + " pixels, not " + size);
        }
        return anomaly(profile(pictures, size));
    }

    /** Per column pair (x, x + 1): the mean absolute luminance step. */
    static double[] profile(List<BufferedImage> pictures, int size) {
        double[] profile = new double[size - 1];
        for (BufferedImage picture : pictures) {
            BufferedImage sized = picture.getWidth() == size && picture.getHeight() == size
                    ? picture
                    : ImageArrays.squareResize(picture, size);
            float[] rgb = ImageArrays.toFloats(sized);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x + 1 < size; x++) {
                    profile[x] += Math.abs(luminance(rgb, (y * size + x + 1) * 3) - luminance(rgb, (y * size + x) * 3));
                }
            }
        }
        for (int x = 0; x < profile.length; x++) {
            profile[x] /= (double) pictures.size() * size;
        }
        return profile;
    }

    static double anomaly(double[] profile) {
        int n = profile.length;
        double[] interior = Arrays.copyOfRange(profile, EDGE, n - EDGE);
        double median = median(interior);
        double[] deviations =
                Arrays.stream(interior).map(v -> Math.abs(v - median)).toArray();
        double deviation = Math.max(median(deviations), 1e-9);
        double worst = 0;
        for (int x = 0; x < n; x++) {
            if (x < EDGE || x >= n - EDGE) {
                worst = Math.max(worst, Math.abs(profile[x] - median) / deviation);
            }
        }
        return worst;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static double luminance(float[] rgb, int p) {
        return 0.299 * rgb[p] + 0.587 * rgb[p + 1] + 0.114 * rgb[p + 2];
    }
}
