package dev.meadow.eval;

import java.awt.image.BufferedImage;
import java.util.List;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Two measures of a picture itself, from its luminance's power spectrum (mean removed, Hann-windowed so that the
 * picture's borders do not read as high frequencies):
 *
 * <ul>
 *   <li><b>sharpness</b>: the share of the power at a quarter of the sampling rate and above (radial frequency
 *       at least 0.25 cycles per pixel). A VAE's blur takes it away.
 *   <li><b>grid</b>: the share of that high-frequency power that lies at the frequencies stride-2 layers imprint:
 *       the multiples of 1/8 cycle per pixel in both directions (periods of 8, 4 and 2 pixels and their
 *       combinations), each with its neighbours, which the window spreads a peak into. The axes count too (a multiple
 *       of 0): a checkerboard's rows and columns peak there. A checkerboard puts peaks
 *       there; a natural picture spreads its power smoothly.
 * </ul>
 *
 * Both are only meaningful against the same measure of real pictures of the same kind and size (the grid's share of
 * the plane depends on the side), which is how reports give them. Below 64 pixels the grid's bins cover most of
 * the plane, so there is no grid measure.
 */
public final class PictureSpectrum {

    /** The lowest frequency counted as high, in cycles per pixel: a quarter of the sampling rate. */
    static final double HIGH = 0.25;
    /** Stride-2 layers, three of them deep, imprint periods of 2, 4 and 8 pixels: multiples of 1/8 cycle. */
    static final int GRID_PERIOD = 8;
    /** The smallest side with a grid measure: 8 bins between multiples of 1/8 cycle, 3 of them counted. */
    static final int GRID_MIN_SIDE = 64;

    private static final FastFourierTransformer FFT = new FastFourierTransformer(DftNormalization.STANDARD);

    /** The two measures of one picture; {@code grid} is null below {@link #GRID_MIN_SIDE} pixels. */
    public record Measures(double sharpness, Double grid) {

        /** The means of both over a set of pictures' measures; null for none, a null grid if any lacks one. */
        public static Measures mean(List<Measures> measures) {
            if (measures.isEmpty()) {
                return null;
            }
            double sharpness = 0;
            double grid = 0;
            boolean gridded = true;
            for (Measures m : measures) {
                sharpness += m.sharpness();
                if (m.grid() == null) {
                    gridded = false;
                } else {
                    grid += m.grid();
                }
            }
            return new Measures(sharpness / measures.size(), gridded ? grid / measures.size() : null);
        }
    }

    /** The means of both measures over a set of pictures; null for an empty set. */
    public static Measures mean(List<BufferedImage> pictures) {
        return Measures.mean(pictures.stream().map(PictureSpectrum::of).toList());
    }

    /** Measures the largest centred square whose side is a power of two (at least 16 pixels). */
    public static Measures of(BufferedImage picture) {
        int n = Integer.highestOneBit(Math.min(picture.getWidth(), picture.getHeight()));
        if (n < 16) {
            throw new IllegalArgumentException(
                    "a picture of " + picture.getWidth() + "x" + picture.getHeight() + " is too small to measure");
        }
        double[][] power = powerSpectrum(luminance(picture, n));
        int cell = n / GRID_PERIOD;
        double total = 0;
        double high = 0;
        double onGrid = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                if (x == 0 && y == 0) {
                    continue;
                }
                double fy = frequency(y, n);
                double fx = frequency(x, n);
                double p = power[y][x];
                total += p;
                if (Math.hypot(fx, fy) >= HIGH) {
                    high += p;
                    if (nearMultiple(x, cell) && nearMultiple(y, cell)) {
                        onGrid += p;
                    }
                }
            }
        }
        Double grid = n < GRID_MIN_SIDE ? null : high == 0 ? 0 : onGrid / high;
        return new Measures(total == 0 ? 0 : high / total, grid);
    }

    /** Within one bin of a multiple of {@code cell} (the window spreads each peak over its neighbours). */
    private static boolean nearMultiple(int bin, int cell) {
        int offset = Math.floorMod(bin, cell);
        return offset <= 1 || offset >= cell - 1;
    }

    /** Signed frequency of FFT bin {@code k} of {@code n}, in cycles per pixel. */
    private static double frequency(int k, int n) {
        return (k <= n / 2 ? k : k - n) / (double) n;
    }

    private static double[][] luminance(BufferedImage picture, int n) {
        int left = (picture.getWidth() - n) / 2;
        int top = (picture.getHeight() - n) / 2;
        double[][] values = new double[n][n];
        double sum = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int rgb = picture.getRGB(left + x, top + y);
                double v = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                values[y][x] = v;
                sum += v;
            }
        }
        double mean = sum / (n * (double) n);
        for (int y = 0; y < n; y++) {
            double wy = hann(y, n);
            for (int x = 0; x < n; x++) {
                values[y][x] = (values[y][x] - mean) * wy * hann(x, n);
            }
        }
        return values;
    }

    private static double hann(int i, int n) {
        return 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
    }

    /** |F|² of the 2-D transform: rows, then columns. */
    private static double[][] powerSpectrum(double[][] values) {
        int n = values.length;
        Complex[][] rows = new Complex[n][];
        for (int y = 0; y < n; y++) {
            rows[y] = FFT.transform(values[y], TransformType.FORWARD);
        }
        double[][] power = new double[n][n];
        Complex[] column = new Complex[n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                column[y] = rows[y][x];
            }
            Complex[] transformed = FFT.transform(column, TransformType.FORWARD);
            for (int y = 0; y < n; y++) {
                double re = transformed[y].getReal();
                double im = transformed[y].getImaginary();
                power[y][x] = re * re + im * im;
            }
        }
        return power;
    }

    private PictureSpectrum() {}
}
