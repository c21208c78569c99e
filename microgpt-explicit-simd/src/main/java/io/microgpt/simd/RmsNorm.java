package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;

/** y = x * s with s = (mean(x^2) + 1e-5)^-1/2, over the n real entries of a padded row. */
final class RmsNorm {
    private static final float EPS = 1e-5f;

    private RmsNorm() {
    }

    /** Writes y[r] = rmsnorm(x[r]) for rows [from, to) and each row's s into scale[r]. */
    static void forward(Matrix x, int from, int to, int n, Matrix y, float[] scale) {
        float[] xv = x.data();
        float[] yv = y.data();
        int width = x.stride();
        float inverseN = 1f / n;
        for (int r = from; r < to; r++) {
            int xi = x.row(r);
            int yi = y.row(r);
            float s = (float) (1 / Math.sqrt(VectorKernels.dot(xv, xi, xv, xi, width) * inverseN + EPS));
            scale[r] = s;
            FloatVector sv = FloatVector.broadcast(VectorKernels.SPECIES, s);
            for (int c = 0; c < width; c += VectorKernels.LANES) {
                FloatVector.fromArray(VectorKernels.SPECIES, xv, xi + c).mul(sv).intoArray(yv, yi + c);
            }
        }
    }

    /**
     * dx[r] += the gradient through the norm for rows [from, to), given dy[r] = dL/dy[r]:
     * dy_i/dx_j = s * [i == j] - s^3 * x_i * x_j / n, so dL/dx = s * dy - (s^3 / n) * (dy . x) * x.
     */
    static void backwardAdd(Matrix x, int from, int to, int n, float[] scale, Matrix dy, Matrix dx) {
        float[] xv = x.data();
        float[] gv = dy.data();
        float[] dv = dx.data();
        int width = x.stride();
        for (int r = from; r < to; r++) {
            int xi = x.row(r);
            int gi = dy.row(r);
            int di = dx.row(r);
            float s = scale[r];
            float k = -s * s * s / n * VectorKernels.dot(gv, gi, xv, xi, width);
            FloatVector sv = FloatVector.broadcast(VectorKernels.SPECIES, s);
            FloatVector kv = FloatVector.broadcast(VectorKernels.SPECIES, k);
            for (int c = 0; c < width; c += VectorKernels.LANES) {
                FloatVector xs = FloatVector.fromArray(VectorKernels.SPECIES, xv, xi + c);
                FloatVector g = FloatVector.fromArray(VectorKernels.SPECIES, gv, gi + c);
                FloatVector d = FloatVector.fromArray(VectorKernels.SPECIES, dv, di + c);
                g.fma(sv, xs.fma(kv, d)).intoArray(dv, di + c);
            }
        }
    }
}
