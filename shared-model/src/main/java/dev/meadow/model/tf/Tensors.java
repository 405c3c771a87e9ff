package dev.meadow.model.tf;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Copies between Java arrays and tensors. Callers own (and close) the tensors they get. */
public final class Tensors {

    private Tensors() {}

    public static TFloat32 floats(float[] data, long... shape) {
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    /** A tensor over {@code data[offset .. offset + product(shape))}. */
    public static TFloat32 floatsAt(float[] data, int offset, long... shape) {
        long size = Shape.of(shape).size();
        return TFloat32.tensorOf(
                Shape.of(shape), DataBuffers.of(data, true, false).slice(offset, size));
    }

    public static TInt64 longs(long[] data, long... shape) {
        return TInt64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    /** A stateless-random seed pair. */
    public static TInt64 seed(long a, long b) {
        return TInt64.vectorOf(a, b);
    }

    public static float[] read(TFloat32 tensor) {
        float[] out = new float[(int) tensor.shape().size()];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    public static float scalar(TFloat32 tensor) {
        return tensor.getFloat();
    }
}
