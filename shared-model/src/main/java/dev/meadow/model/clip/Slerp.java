package dev.meadow.model.clip;

/** Spherical interpolation between L2-normalised embeddings: every point of the path is a unit vector again. */
public final class Slerp {

    private Slerp() {}

    /** The unit vector {@code t} of the way along the great circle from {@code from} to {@code to}. */
    public static float[] between(float[] from, float[] to, double t) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("embeddings of different sizes: " + from.length + " and " + to.length);
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t must be between 0 and 1, not " + t);
        }
        double[] a = unit(from);
        double[] b = unit(to);
        double cos = 0;
        for (int i = 0; i < a.length; i++) {
            cos += a[i] * b[i];
        }
        cos = Math.max(-1, Math.min(1, cos));
        double angle = Math.acos(cos);
        double wa;
        double wb;
        if (Math.sin(angle) < 1e-6) {
            // (Nearly) the same direction: the straight line is the arc. Opposite vectors have no unique arc;
            // the straight line then passes the origin and the normalisation below picks a side.
            wa = 1 - t;
            wb = t;
        } else {
            wa = Math.sin((1 - t) * angle) / Math.sin(angle);
            wb = Math.sin(t * angle) / Math.sin(angle);
        }
        double[] mixed = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            mixed[i] = wa * a[i] + wb * b[i];
        }
        double[] unit = unit(mixed);
        float[] out = new float[unit.length];
        for (int i = 0; i < unit.length; i++) {
            out[i] = (float) unit[i];
        }
        return out;
    }

    /** {@code steps} points from {@code from} (first) to {@code to} (last), evenly spaced in angle. */
    public static float[][] path(float[] from, float[] to, int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("a path needs at least 2 steps, not " + steps);
        }
        float[][] out = new float[steps][];
        for (int i = 0; i < steps; i++) {
            out[i] = between(from, to, (double) i / (steps - 1));
        }
        return out;
    }

    private static double[] unit(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return unit(d);
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm == 0) {
            throw new IllegalArgumentException("cannot interpolate a zero vector");
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }
}
