package dev.meadow.model.cvae;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.meadow.contracts.Json;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Builds the inference-only decoder graph, restores a training checkpoint into it and exports it as a SavedModel
 * with the signature {@code decode(z[N, latent], condition[N, D]) -> image[N, H, W, 3]} in [0, 1].
 */
final class DecoderExport {

    static final String SIGNATURE = "decode";

    private DecoderExport() {}

    static void export(Path checkpointPrefix, CvaePreset preset, int conditionDim, Path target) {
        Path modelDir = target.toAbsolutePath();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            CvaeNetwork.Decoder decoder = new CvaeNetwork.Decoder(new Parameters(0), tf, preset, conditionDim);
            Placeholder<TFloat32> z =
                    tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, preset.latentDim())));
            Placeholder<TFloat32> condition =
                    tf.withName("condition").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, conditionDim)));
            Operand<TFloat32> image = tf.withName("image").math.sigmoid(decoder.logits(tf, z, condition, false, null));
            try (Session session = new Session(graph)) {
                session.restore(checkpointPrefix.toString());
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
                    TFloat32 zt = dev.meadow.model.tf.Tensors.floats(z, n, preset.latentDim());
                    TFloat32 ct = dev.meadow.model.tf.Tensors.floats(conditions, n, conditionDim)) {
                session.restore(checkpointPrefix.toString());
                try (org.tensorflow.Result r = session.runner()
                        .feed(zIn, zt)
                        .feed(cIn, ct)
                        .fetch(image)
                        .run()) {
                    return dev.meadow.model.tf.Tensors.read((TFloat32) r.get(0));
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
                card.conditionNoise());
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
