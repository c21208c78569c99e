package io.microgpt.core.spi;

/**
 * Adam in double precision, written as the reference writes it, operation for operation, so that an exact
 * backend stays exact. Backends of other precisions implement the same update with their own loop.
 */
public final class Adam {
    private Adam() {
    }

    /**
     * Updates {@code w[i]} for {@code i} in {@code [0, count)} from gradient {@code g}, with moments
     * {@code m} and {@code v}:
     * <pre>
     * m = beta1 * m + (1 - beta1) * g
     * v = beta2 * v + (1 - beta2) * g^2
     * w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
     * </pre>
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
        for (int i = 0; i < count; i++) {
            double gi = g[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * gi;
            double vi = beta2 * v[i] + oneMinusBeta2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            double mHat = mi / c1;
            double vHat = vi / c2;
            w[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }
}
