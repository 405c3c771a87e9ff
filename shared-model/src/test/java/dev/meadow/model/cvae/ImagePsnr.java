package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

/** PSNR of decoded images against a reference decoding of the same images, overall and for the worst image. */
record ImagePsnr(double overall, double worst) {

    /** Both arrays hold {@code images} images of pixel values in [0, 1], one after another. */
    static ImagePsnr of(float[] actual, float[] expected, int images) {
        assertThat(actual).hasSameSizeAs(expected);
        int perImage = actual.length / images;
        double worst = Double.POSITIVE_INFINITY;
        double totalSquared = 0;
        for (int i = 0; i < images; i++) {
            double squared = 0;
            for (int k = i * perImage; k < (i + 1) * perImage; k++) {
                double d = actual[k] - expected[k];
                squared += d * d;
            }
            totalSquared += squared;
            worst = Math.min(worst, psnr(squared / perImage));
        }
        return new ImagePsnr(psnr(totalSquared / actual.length), worst);
    }

    /** The peak is 1. An identical image has infinite PSNR. */
    static double psnr(double meanSquaredError) {
        return meanSquaredError == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / meanSquaredError);
    }

    /** The tolerance for a faster way to decode: at least 40 dB overall and for every image. */
    ImagePsnr assertWithinTolerance() {
        return assertAtLeast(40);
    }

    ImagePsnr assertAtLeast(double decibels) {
        assertThat(overall).as("PSNR overall").isGreaterThanOrEqualTo(decibels);
        assertThat(worst).as("PSNR of the worst image").isGreaterThanOrEqualTo(decibels);
        return this;
    }
}
