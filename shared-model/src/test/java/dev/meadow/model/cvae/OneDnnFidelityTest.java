package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.meadow.model.tf.Precision;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Meadow runs TensorFlow with oneDNN's CPU kernels (TF_ENABLE_ONEDNN_OPTS=1, 3.1x the decoding of small-64 on this machine). They
 * add up in another order than TensorFlow's own fp32 kernels: the shipped decoder must draw the same pictures within
 * 40 dB PSNR. The reference is decoded in a second JVM with oneDNN off, since TensorFlow reads the switch once.
 */
@Tag("integration")
class OneDnnFidelityTest {

    static final int IMAGES = 1000;
    static final Path SHIPPED = Path.of("..", "models", "small-64-resize-clip-v6");

    @TempDir
    Path dir;

    @Test
    void theShippedDecoderDrawsTheSamePicturesWithOneDnnAsWithout() throws Exception {
        assertThat(System.getenv("TF_ENABLE_ONEDNN_OPTS"))
                .as("the build runs tests with oneDNN on")
                .isEqualTo("1");
        Path reference = dir.resolve("reference.bin");
        ProcessBuilder child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        DecodeToFile.class.getName(),
                        SHIPPED.toString(),
                        reference.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        child.environment().put("TF_ENABLE_ONEDNN_OPTS", "0");
        Process running = child.start();
        if (!running.waitFor(5, TimeUnit.MINUTES)) {
            running.destroyForcibly();
            throw new AssertionError("the reference JVM did not finish in 5 minutes");
        }
        assertThat(running.exitValue())
                .as(Files.readString(dir.resolve("child.log")))
                .isZero();

        float[] expected = read(reference);
        ImagePsnr psnr = ImagePsnr.of(DecodeToFile.decode(SHIPPED, Precision.FP32), expected, IMAGES);
        System.out.printf(
                "oneDNN against TensorFlow's own kernels, %d images: PSNR %.1f dB, worst image %.1f dB%n",
                IMAGES, psnr.overall(), psnr.worst());
        // Not identical: else the switch did nothing, and this compared TensorFlow's kernels with themselves.
        assertThat(psnr.overall()).as("oneDNN changed no pixel value at all").isFinite();
        psnr.assertWithinTolerance();
    }

    /** bf16, where the CPU computes it (where the generator's default takes it), must hold the same tolerance. */
    @Test
    void theShippedDecoderDrawsTheSamePicturesInBf16AsInFp32() {
        assumeTrue(Precision.AUTO.resolve() == Precision.BF16, "this CPU has no native bf16 (AVX512_BF16 or AMX)");
        float[] fp32 = DecodeToFile.decode(SHIPPED, Precision.FP32);
        float[] bf16 = DecodeToFile.decode(SHIPPED, Precision.BF16);
        ImagePsnr psnr = ImagePsnr.of(bf16, fp32, IMAGES);
        System.out.printf(
                "bf16 against fp32, %d images: PSNR %.1f dB, worst image %.1f dB%n",
                IMAGES, psnr.overall(), psnr.worst());
        assertThat(psnr.overall()).as("bf16 changed no pixel value at all").isFinite();
        psnr.assertWithinTolerance();
    }

    private static float[] read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            float[] values = new float[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readFloat();
            }
            return values;
        }
    }

    /** Decodes the same 1,000 images in whichever process runs it, and writes them to a file. */
    public static final class DecodeToFile {

        public static void main(String[] args) throws IOException {
            float[] images = decode(Path.of(args[0]), Precision.FP32);
            try (DataOutputStream out =
                    new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(Path.of(args[1]))))) {
                out.writeInt(images.length);
                for (float v : images) {
                    out.writeFloat(v);
                }
            }
        }

        static float[] decode(Path model, Precision precision) {
            try (Decoder decoder = Decoder.load(model, 0, precision)) {
                int dim = decoder.conditionDim();
                float[] conditions = ConditionSource.unitRows(IMAGES, dim, new SplittableRandom(2026));
                long[] seeds = new long[IMAGES];
                for (int i = 0; i < IMAGES; i++) {
                    seeds[i] = 31L * i + 5;
                }
                return decoder.decode(conditions, seeds);
            }
        }
    }
}
