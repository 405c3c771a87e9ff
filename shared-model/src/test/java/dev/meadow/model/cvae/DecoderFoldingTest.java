package dev.meadow.model.cvae;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.meadow.model.tf.Parameters;
import dev.meadow.model.tf.SavedModels;
import dev.meadow.model.tf.Tensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The exported decoder folds batch normalisation into its convolutions; it must draw what the trained graph draws
 * on 1,000 images, for both kinds of upsampling (resize-convolve and transposed), up to float rounding.
 */
@Tag("integration")
class DecoderFoldingTest {

    static final int IMAGES = 1000;
    static final int DIM = 256;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"small-64-resize", "small-64-resize-reflect", "tiny-32"})
    void theFoldedExportDrawsWhatTheTrainedGraphDraws(String presetName) {
        CvaePreset preset = CvaePreset.named(presetName);
        SplittableRandom random = new SplittableRandom(2026);
        float[] z = new float[IMAGES * preset.latentDim()];
        for (int i = 0; i < IMAGES; i++) {
            System.arraycopy(
                    Decoder.latent(7L * i, preset.latentDim()), 0, z, i * preset.latentDim(), preset.latentDim());
        }
        float[] conditions = ConditionSource.unitRows(IMAGES, DIM, random);

        Map<String, float[]> trained = new LinkedHashMap<>();
        float[] reference;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Parameters parameters = new Parameters(11);
            CvaeNetwork.Decoder decoder = new CvaeNetwork.Decoder(parameters, tf, preset, DIM);
            Placeholder<TFloat32> zIn =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
            Placeholder<TFloat32> cIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, DIM)));
            Operand<TFloat32> image = tf.math.sigmoid(decoder.logits(tf, zIn, cIn, false, null));
            try (Session session = new Session(graph)) {
                session.initialize();
                List<Variable<TFloat32>> variables = new ArrayList<>(parameters.trainable());
                variables.addAll(parameters.statistics());
                // Statistics far from their initial (identity) values, as after training.
                for (Variable<TFloat32> variable : variables) {
                    String name = variable.op().name();
                    if (name.endsWith("gamma") || name.endsWith("beta") || name.contains("moving_")) {
                        float[] values = new float[(int) variable.shape().size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = (float)
                                    (name.endsWith("gamma")
                                            ? (random.nextBoolean() ? 1 : -1) * random.nextDouble(0.5, 1.5)
                                            : name.endsWith("variance")
                                                    ? random.nextDouble(0.1, 30)
                                                    : random.nextDouble(-1, 1));
                        }
                        session.runner()
                                .addTarget(tf.assign(variable, tf.constant(variable.shape(), DataBuffers.of(values))))
                                .run()
                                .close();
                    }
                    try (Result result = session.runner().fetch(variable).run()) {
                        trained.put(name, Tensors.read((TFloat32) result.get(0)));
                    }
                }
                try (TFloat32 zt = Tensors.floats(z, IMAGES, preset.latentDim());
                        TFloat32 ct = Tensors.floats(conditions, IMAGES, DIM);
                        Result result = session.runner()
                                .feed(zIn, zt)
                                .feed(cIn, ct)
                                .fetch(image)
                                .run()) {
                    reference = Tensors.read((TFloat32) result.get(0));
                }
            }
        }

        Path model = dir.resolve("model");
        DecoderExport.export(trained, preset, DIM, model);
        // Both graphs would agree if the padding setting were ignored: the export must mirror its borders.
        try {
            String graph = new String(
                    java.nio.file.Files.readAllBytes(model.resolve("saved_model.pb")),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            org.assertj.core.api.Assertions.assertThat(graph.contains("MirrorPad"))
                    .as("MirrorPad in the exported graph")
                    .isEqualTo(preset.padding() == CvaePreset.Padding.REFLECT);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        float[] folded;
        try (SavedModelBundle bundle = SavedModels.open(model, 0)) {
            for (String name :
                    CvaeNetwork.FoldedDecoder.fold(trained, preset, DIM).keySet()) {
                assertThat(bundle.graph().operation(name))
                        .as("variable %s", name)
                        .isNotNull();
            }
            Iterator<GraphOperation> operations = bundle.graph().operations();
            while (operations.hasNext()) {
                assertThat(operations.next().type()).doesNotStartWith("FusedBatchNorm");
            }
            try (TFloat32 zt = Tensors.floats(z, IMAGES, preset.latentDim());
                    TFloat32 ct = Tensors.floats(conditions, IMAGES, DIM);
                    Result result = bundle.function(DecoderExport.SIGNATURE).call(Map.of("z", zt, "condition", ct))) {
                folded = Tensors.read((TFloat32) result.get("image").orElseThrow());
            }
        }

        ImagePsnr psnr = ImagePsnr.of(folded, reference, IMAGES);
        System.out.printf(
                "%s folded against unfolded, %d images: PSNR %.1f dB, worst image %.1f dB%n",
                presetName, IMAGES, psnr.overall(), psnr.worst());
        // Folding changes float rounding alone: 40 dB is the tolerance, 100 catches a folding mistake 40 would pass.
        psnr.assertAtLeast(100);
    }
}
