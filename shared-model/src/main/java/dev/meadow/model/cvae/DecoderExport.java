package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.meadow.contracts.Json;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.Parameters;
import dev.meadow.model.tf.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Builds the inference-only decoder graph, restores a training checkpoint into it and exports it as a SavedModel
 * with the signature {@code decode(z[N, latent], condition[N, D]) -> image[N, H, W, 3]} in [0, 1].
 */
final class DecoderExport {

    static final String SIGNATURE = "decode";

    private DecoderExport() {}

    static void export(Path checkpointPrefix, CvaePreset preset, int conditionDim, Path target) {
        export(trainedValues(checkpointPrefix, preset, conditionDim), preset, conditionDim, target);
    }

    /** The decoder's variables by name, batch normalisation's included, as a training checkpoint holds them. */
    static Map<String, float[]> trainedValues(Path checkpointPrefix, CvaePreset preset, int conditionDim) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Parameters parameters = new Parameters(0);
            new CvaeNetwork.Decoder(parameters, tf, preset, conditionDim);
            try (Session session = new Session(graph)) {
                session.restore(checkpointPrefix.toString());
                Map<String, float[]> values = new LinkedHashMap<>();
                List<Variable<TFloat32>> variables = new ArrayList<>(parameters.trainable());
                variables.addAll(parameters.statistics());
                for (Variable<TFloat32> variable : variables) {
                    try (Result result = session.runner().fetch(variable).run()) {
                        values.put(variable.op().name(), Tensors.read((TFloat32) result.get(0)));
                    }
                }
                return values;
            }
        }
    }

    /**
     * Exports a trained decoder's inference graph with batch normalisation folded into the layers before it
     * ({@link CvaeNetwork.FoldedDecoder}): 14% more images a second on oneDNN, 70% more with bf16
     * (docs/performance.md), the same pictures within float rounding.
     */
    static void export(Map<String, float[]> trained, CvaePreset preset, int conditionDim, Path target) {
        Map<String, float[]> folded = CvaeNetwork.FoldedDecoder.fold(trained, preset, conditionDim);
        Path modelDir = target.toAbsolutePath();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            CvaeNetwork.FoldedDecoder decoder = new CvaeNetwork.FoldedDecoder(tf, preset, conditionDim);
            Placeholder<TFloat32> z =
                    tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
            Placeholder<TFloat32> condition =
                    tf.withName("condition").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, conditionDim)));
            Operand<TFloat32> image = tf.withName("image").math.sigmoid(decoder.logits(tf, z, condition));
            try (Session session = new Session(graph)) {
                decoder.assign(tf, session, folded);
                Files.createDirectories(modelDir.getParent());
                SavedModelBundle.exporter(modelDir.toString())
                        .withSession(session)
                        .withSignature(Signature.builder()
                                .key(SIGNATURE)
                                .input("z", z)
                                .input("condition", condition)
                                .output("image", image)
                                .build())
                        .export();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the decoder to " + modelDir, e);
        }
    }

    /** Runs the inference graph straight from a checkpoint, as a reference for the exported model. */
    static float[] decodeFromCheckpoint(
            Path checkpointPrefix, CvaePreset preset, int conditionDim, float[] z, float[] conditions, int n) {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            CvaeNetwork.Decoder decoder = new CvaeNetwork.Decoder(new Parameters(0), tf, preset, conditionDim);
            Placeholder<TFloat32> zIn =
                    tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
            Placeholder<TFloat32> cIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, conditionDim)));
            Operand<TFloat32> image = tf.math.sigmoid(decoder.logits(tf, zIn, cIn, false, null));
            try (Session session = new Session(graph);
                    TFloat32 zt = Tensors.floats(z, n, preset.latentDim());
                    TFloat32 ct = Tensors.floats(conditions, n, conditionDim)) {
                session.restore(checkpointPrefix.toString());
                try (Result r = session.runner()
                        .feed(zIn, zt)
                        .feed(cIn, ct)
                        .fetch(image)
                        .run()) {
                    return Tensors.read((TFloat32) r.get(0));
                }
            }
        }
    }

    /** Writes {@code model.json} with the checksums of everything else in the directory. */
    static DecoderCard writeCard(Path modelDir, DecoderCard card) {
        DecoderCard withFiles = new DecoderCard(
                card.format(),
                card.formatVersion(),
                card.modelId(),
                card.preset(),
                card.imageSize(),
                card.latentDim(),
                card.conditionDim(),
                card.clipModelId(),
                card.conditioning(),
                card.training(),
                card.dataset(),
                card.trainImages(),
                card.validationImages(),
                card.bestEpoch(),
                card.bestValidation(),
                card.history(),
                card.parameters(),
                ModelFiles.checksums(modelDir, Set.of(DecoderCard.FILE_NAME)),
                card.createdAt(),
                card.warmStart(),
                card.conditionNoise(),
                card.priorModelId());
        try {
            Json.mapper()
                    .writerWithDefaultPrettyPrinter()
                    .writeValue(modelDir.resolve(DecoderCard.FILE_NAME).toFile(), withFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model card", e);
        }
        return withFiles;
    }
}
