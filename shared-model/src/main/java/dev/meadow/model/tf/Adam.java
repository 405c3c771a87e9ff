package dev.meadow.model.tf;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam on TensorFlow's own {@code ApplyAdam} kernel, over an explicit list of trainable variables (so that batch
 * norm statistics are never differentiated), with the learning rate as a graph input. Its moment estimates are
 * variables too, so a checkpoint resumes training exactly.
 */
public final class Adam {

    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-7f;

    private Adam() {}

    /**
     * Builds one training step: Adam updates for {@code variables} from the gradients of {@code loss}, plus
     * {@code alsoRun} (moving-average updates), as a single op named {@code name}.
     */
    public static Op minimize(
            Ops tf,
            Operand<TFloat32> loss,
            List<Variable<TFloat32>> variables,
            Operand<TFloat32> learningRate,
            List<Op> alsoRun,
            String name) {
        return minimize(tf, loss, variables, learningRate, alsoRun, List.of(), name);
    }

    /**
     * As {@link #minimize(Ops, Operand, List, Operand, List, String)}, with updates that start only once {@code
     * after} have run too: another optimiser's step whose gradients read these variables.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Op minimize(
            Ops tf,
            Operand<TFloat32> loss,
            List<Variable<TFloat32>> variables,
            Operand<TFloat32> learningRate,
            List<Op> alsoRun,
            List<Op> after,
            String name) {
        Ops adam = tf.withSubScope("adam");
        Gradients gradients = tf.gradients(loss, variables);
        Variable<TFloat32> beta1Power = adam.withName("beta1_power").variable(tf.constant(BETA1));
        Variable<TFloat32> beta2Power = adam.withName("beta2_power").variable(tf.constant(BETA2));
        // Variables are updated in place, and backpropagation reads them (dx = dy W^T): an update may only start once
        // every gradient is computed, or the step would depend on which ops TensorFlow happened to run first.
        List<Operand<TFloat32>> grads = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            grads.add(tf.identity((Operand<TFloat32>) (Operand) gradients.dy(i)));
        }
        List<Op> gradientOps = new ArrayList<>(grads.stream().map(g -> (Op) g).toList());
        gradientOps.addAll(after);
        Ops afterGradients = tf.withControlDependencies(gradientOps);
        List<Op> updates = new ArrayList<>(alsoRun);
        for (int i = 0; i < variables.size(); i++) {
            Variable<TFloat32> variable = variables.get(i);
            String slot = variable.op().name().replace('/', '_');
            Variable<TFloat32> m = adam.withName(slot + "_m").variable(tf.zerosLike(variable));
            Variable<TFloat32> v = adam.withName(slot + "_v").variable(tf.zerosLike(variable));
            updates.add(afterGradients.train.applyAdam(
                    variable,
                    m,
                    v,
                    beta1Power,
                    beta2Power,
                    learningRate,
                    tf.constant(BETA1),
                    tf.constant(BETA2),
                    tf.constant(EPSILON),
                    grads.get(i)));
        }
        Ops afterUpdates = tf.withControlDependencies(updates);
        Op nextBeta1 = afterUpdates.assign(beta1Power, afterUpdates.math.mul(beta1Power, tf.constant(BETA1)));
        Op nextBeta2 = afterUpdates.assign(beta2Power, afterUpdates.math.mul(beta2Power, tf.constant(BETA2)));
        return tf.withControlDependencies(List.of(nextBeta1, nextBeta2))
                .withName(name)
                .noOp();
    }
}
