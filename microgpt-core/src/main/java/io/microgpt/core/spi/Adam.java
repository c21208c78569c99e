package io.microgpt.core.spi;

/**
 * Adam in double precision, written as the reference writes it, operation for operation, so that an exact
 * backend stays exact; with the step's optional decoupled weight decay and gradient clipping (see
 * {@link AdamStep}). Backends of other precisions implement the same update with their own loop.
 *
 * <p>Thread-safe (it keeps no state): threads may update distinct arrays at once.
 */
public final class Adam {
    private Adam() {
    }

    /**
     * Updates {@code w[i]} for {@code i} in {@code [0, count)} from gradient {@code g}, with moments
     * {@code m} and {@code v}:
     * <pre>
     * g = s * g                    s = {@link AdamStep#clipScale}(||g||), only when clipping is on
     * m = beta1 * m + (1 - beta1) * g
     * v = beta2 * v + (1 - beta2) * g^2
     * w -= lr * weightDecay * w    only when weight decay is on
     * w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
     * </pre>
     * {@code g} is left as it was.
     */
    public static void update(double[] w, double[] g, double[] m, double[] v, int count, AdamStep s) {
        double beta1 = s.beta1();
        double beta2 = s.beta2();
        double oneMinusBeta1 = 1 - beta1;
        double oneMinusBeta2 = 1 - beta2;
        double c1 = s.biasCorrection1();
        double c2 = s.biasCorrection2();
        double lr = s.learningRate();
        double eps = s.eps();
        boolean clip = s.gradClip() > 0;
        double scale = clip ? s.clipScale(norm(g, count)) : 1;
        boolean decay = s.weightDecay() > 0;
        double decayRate = lr * s.weightDecay();
        for (int i = 0; i < count; i++) {
            double gi = clip ? g[i] * scale : g[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * gi;
            double vi = beta2 * v[i] + oneMinusBeta2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            double mHat = mi / c1;
            double vHat = vi / c2;
            if (decay) w[i] -= decayRate * w[i];
            w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    /** The L2 norm of {@code g[0, count)}: sqrt of the sum of squares, summed from the left. */
    public static double norm(double[] g, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) sum += g[i] * g[i];
        return Math.sqrt(sum);
    }
}
