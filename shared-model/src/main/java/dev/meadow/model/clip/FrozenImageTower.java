package dev.meadow.model.clip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.meadow.model.InvalidModelException;
import dev.meadow.model.ModelFiles;
import dev.meadow.model.tf.Parameters;
import dev.meadow.model.tf.SavedModels;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;

/**
 * A Meadow CLIP's image tower inside another graph, frozen: a loss can pull pictures that graph draws towards an
 * embedding, and gradients flow through the tower to the picture but never change the tower. Its variables live
 * under {@code frozen_clip/} and are filled from the CLIP's SavedModel by {@link #load}.
 *
 * <p>Only Meadow's own CLIP has this tower; another CLIP (an exported OpenAI one) is refused.
 */
public final class FrozenImageTower {

    public static final String SCOPE = "frozen_clip";

    private final Path directory;
    private final ClipCard card;
    private final List<Variable<TFloat32>> variables;
    private final ClipNetwork.ImageTower tower;

    private FrozenImageTower(
            Path directory, ClipCard card, ClipNetwork.ImageTower tower, List<Variable<TFloat32>> variables) {
        this.directory = directory;
        this.card = card;
        this.tower = tower;
        this.variables = variables;
    }

    /**
     * The card of the CLIP in {@code directory} if it is Meadow's own (whose image tower this class rebuilds), else
     * an {@link InvalidModelException} saying why: a check to make before any work that needs the tower.
     */
    public static ClipCard requireMeadowClip(Path directory) {
        ClipCard card = ClipModel.readCard(directory);
        if (!MeadowClipTraining.SOURCE.equals(card.source())) {
            throw new InvalidModelException(directory + " is a '" + card.source() + "' CLIP; a frozen image tower"
                    + " needs Meadow's own CLIP (source '" + MeadowClipTraining.SOURCE + "')");
        }
        return card;
    }

    /** Adds the tower of the CLIP in {@code directory} to {@code tf}'s graph, with placeholder weights. */
    public static FrozenImageTower create(Ops tf, Path directory) {
        ClipCard card = requireMeadowClip(directory);
        Parameters parameters = new Parameters(0);
        ClipNetwork.ImageTower tower =
                new ClipNetwork.ImageTower(parameters, tf.withSubScope(SCOPE), card.embeddingDimension());
        List<Variable<TFloat32>> variables = new ArrayList<>(parameters.trainable());
        variables.addAll(parameters.statistics());
        return new FrozenImageTower(directory, card, tower, variables);
    }

    /** The tower's variables: its weights and batch-norm statistics. */
    public List<Variable<TFloat32>> variables() {
        return List.copyOf(variables);
    }

    public int dimension() {
        return card.embeddingDimension();
    }

    /**
     * L2-normalised embeddings of {@code pixels} (N, H, W, 3 in [0, 1]): brought to the CLIP's side, normalised as
     * its card says, batch normalisation from its moving averages.
     */
    public Operand<TFloat32> embed(Ops tf, Operand<TFloat32> pixels, int side) {
        Ops scope = tf.withSubScope(SCOPE);
        return tower.embed(scope, prepare(scope, pixels, side), false, null);
    }

    /**
     * The activations of {@code pixels} (as in {@link #embed}) after each of the tower's first {@code layers}
     * convolutions: edges and textures rather than meaning, what a perceptual loss compares.
     */
    public List<Operand<TFloat32>> earlyFeatures(Ops tf, Operand<TFloat32> pixels, int side, int layers) {
        Ops scope = tf.withSubScope(SCOPE);
        return tower.features(scope, prepare(scope, pixels, side), layers);
    }

    private Operand<TFloat32> prepare(Ops scope, Operand<TFloat32> pixels, int side) {
        Operand<TFloat32> x = pixels;
        if (side != card.imageSize()) {
            x = scope.image.resizeBilinear(
                    x,
                    scope.constant(new int[] {card.imageSize(), card.imageSize()}),
                    ResizeBilinear.halfPixelCenters(true));
        }
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = card.imageMean().get(c).floatValue();
            std[c] = card.imageStd().get(c).floatValue();
        }
        return scope.math.div(scope.math.sub(x, scope.constant(mean)), scope.constant(std));
    }

    /** Copies the CLIP's trained weights into the tower's variables in {@code session}. */
    public void load(Session session) {
        if (card.files() != null && !card.files().isEmpty()) {
            ModelFiles.verify(directory, card.files());
        }
        try (SavedModelBundle bundle = SavedModels.open(directory, 0)) {
            for (Variable<TFloat32> variable : variables) {
                String name = variable.op().name().substring(SCOPE.length() + 1);
                if (bundle.graph().operation(name) == null) {
                    throw new InvalidModelException(directory + " has no variable " + name);
                }
                try (Result result = bundle.session().runner().fetch(name).run()) {
                    Tensor value = result.get(0);
                    if (!(value instanceof TFloat32 floats) || !value.shape().equals(variable.shape())) {
                        throw new InvalidModelException(
                                directory + ": " + name + " is " + value.shape() + ", not " + variable.shape());
                    }
                    assign(session, variable, floats);
                }
            }
        }
    }

    private static void assign(Session session, Variable<TFloat32> variable, TFloat32 value) {
        Ops tf = Ops.create((org.tensorflow.Graph) variable.env());
        Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
        Op assign = tf.assign(variable, input);
        session.runner().feed(input, value).addTarget(assign).run().close();
    }

    /** Row-wise cosine of two [N, D] batches of unit vectors. */
    public static Operand<TFloat32> cosine(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.sum(tf.math.mul(a, b), tf.constant(1));
    }
}
