package dev.meadow.model.cvae;

import java.util.SplittableRandom;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A randomly shifted and mirrored view of a batch of pictures, for the CLIP-consistency term. Judged always in the
 * same frame, a decoder learnt to paint a bright stripe near the right edge, where the frozen CLIP reads it as
 * evidence for the prompt; moved by a few pixels and flipped at random at every step (as CLIP-guided generators
 * augment their cutouts), no fixed-position pattern pays.
 *
 * <p>The view is two remapping matrices drawn on the host from the step's seed, so a step stays a pure function of
 * its inputs and training resumes exactly; in the graph they are plain matrix products, which TensorFlow's C++
 * gradients cover.
 *
 * @param rows {@code side} indices: output row i reads input row {@code rows[i]}
 * @param columns the same for columns (mirrored views read them right to left)
 */
record ClipViews(int side, int[] rows, int[] columns) {

    /** Largest shift in pixels: a sixteenth of the side, the picture's content stays in view. */
    static int maxShift(int side) {
        return Math.max(1, side / 16);
    }

    /** A view shifted by up to {@link #maxShift} pixels each way, reflecting at the borders, mirrored half the time. */
    static ClipViews random(SplittableRandom random, int side) {
        int max = maxShift(side);
        int dy = random.nextInt(-max, max + 1);
        int dx = random.nextInt(-max, max + 1);
        boolean mirror = random.nextBoolean();
        int[] rows = new int[side];
        int[] columns = new int[side];
        for (int i = 0; i < side; i++) {
            rows[i] = reflect(i + dy, side);
            int x = reflect(i + dx, side);
            columns[i] = mirror ? side - 1 - x : x;
        }
        return new ClipViews(side, rows, columns);
    }

    /** Reflection without repeating the edge pixel, as {@code MirrorPad} REFLECT does. */
    static int reflect(int index, int side) {
        int period = 2 * (side - 1);
        int i = Math.floorMod(index, period);
        return i < side ? i : period - i;
    }

    /** The one-hot matrix {@code M} with {@code (M x)[i] = x[map[i]]}, row-major. */
    static float[] selection(int[] map) {
        int n = map.length;
        float[] matrix = new float[n * n];
        for (int i = 0; i < n; i++) {
            matrix[i * n + map[i]] = 1f;
        }
        return matrix;
    }

    float[] rowMatrix() {
        return selection(rows);
    }

    float[] columnMatrix() {
        return selection(columns);
    }

    /**
     * Applies row and column selection matrices (each {@code side x side}) to {@code pixels} (N, side, side, C).
     */
    static Operand<TFloat32> apply(
            Ops tf, Operand<TFloat32> pixels, Operand<TFloat32> rowMatrix, Operand<TFloat32> columnMatrix, int side) {
        // Rows: (H, N*W*C) from the left; columns: (W, N*H*C) from the left; back to (N, H, W, C).
        Operand<TFloat32> byRows = tf.linalg.transpose(pixels, tf.constant(new int[] {1, 0, 2, 3}));
        Operand<TFloat32> flat = tf.reshape(byRows, tf.constant(new int[] {side, -1}));
        Operand<TFloat32> moved = tf.reshape(tf.linalg.matMul(rowMatrix, flat), tf.shape(byRows));
        // (H, N, W, C) -> (W, N, H, C)
        Operand<TFloat32> byColumns = tf.linalg.transpose(moved, tf.constant(new int[] {2, 1, 0, 3}));
        Operand<TFloat32> flatColumns = tf.reshape(byColumns, tf.constant(new int[] {side, -1}));
        Operand<TFloat32> shifted = tf.reshape(tf.linalg.matMul(columnMatrix, flatColumns), tf.shape(byColumns));
        // (W, N, H, C) -> (N, H, W, C)
        return tf.linalg.transpose(shifted, tf.constant(new int[] {1, 2, 0, 3}));
    }
}
