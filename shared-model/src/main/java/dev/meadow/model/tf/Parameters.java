package dev.meadow.model.tf;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Creates a network's variables with initial values drawn from a seed, in creation order, and remembers which
 * ones are trained by gradient descent and which are running statistics (batch norm moving averages).
 */
public final class Parameters {

    private final long seed;
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Variable<TFloat32>> statistics = new ArrayList<>();
    private long counter;

    public Parameters(long seed) {
        this.seed = seed;
    }

    /** Kaiming (He) normal initialisation for layers followed by a (leaky) ReLU, truncated at two deviations. */
    public Variable<TFloat32> kaiming(Ops scope, String name, long fanIn, float leakySlope, long... shape) {
        double gain = Math.sqrt(2.0 / (1.0 + leakySlope * leakySlope));
        return truncatedNormal(scope, name, (float) (gain / Math.sqrt(fanIn)), shape);
    }

    /** Glorot (Xavier) normal initialisation for linear layers. */
    public Variable<TFloat32> glorot(Ops scope, String name, long fanIn, long fanOut, long... shape) {
        return truncatedNormal(scope, name, (float) Math.sqrt(2.0 / (fanIn + fanOut)), shape);
    }

    private Variable<TFloat32> truncatedNormal(Ops scope, String name, float stddev, long... shape) {
        // A truncated normal has a smaller spread than its parameter; correct for it as Keras does.
        float corrected = stddev / 0.87962566f;
        Operand<TInt64> seedPair = scope.constant(new long[] {seed, counter++});
        Operand<TFloat32> init = scope.math.mul(
                scope.random.statelessTruncatedNormal(scope.constant(shape), seedPair, TFloat32.class),
                scope.constant(corrected));
        Variable<TFloat32> variable = scope.withName(name).variable(init);
        trainable.add(variable);
        return variable;
    }

    public Variable<TFloat32> constant(Ops scope, String name, float value, boolean train, long... shape) {
        counter++;
        Variable<TFloat32> variable =
                scope.withName(name).variable(scope.fill(scope.constant(shape), scope.constant(value)));
        (train ? trainable : statistics).add(variable);
        return variable;
    }

    public List<Variable<TFloat32>> trainable() {
        return List.copyOf(trainable);
    }

    public List<Variable<TFloat32>> statistics() {
        return List.copyOf(statistics);
    }

    /** Number of trainable scalars. */
    public long trainableCount() {
        return trainable.stream().mapToLong(v -> v.shape().size()).sum();
    }

    static Shape shapeOf(long... dims) {
        return Shape.of(dims);
    }
}
