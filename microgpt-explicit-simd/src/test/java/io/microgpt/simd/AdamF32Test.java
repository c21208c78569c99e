package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The f32 Adam's training controls against core's f64 Adam (the oracle), at this JVM's vector width. */
class AdamF32Test {
    private static final int L = VectorKernels.LANES;
    private final Random random = new Random(3);

    @Test
    void sumOfSquaresMatchesAPlainLoop() {
        float[] g = new float[7 * L];
        double expected = 0;
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) random.nextGaussian();
            expected += (double) g[i] * g[i];
        }
        // f32 lanes summing ~100 squares of order 1: relative error well under 1e-5
        assertEquals(expected, AdamF32.sumOfSquares(g, 0, g.length), 1e-5 * expected);
        assertEquals(expected - (double) g[0] * g[0] - sumOfFirstVectorButOne(g), AdamF32.sumOfSquares(g, L, g.length),
                1e-5 * expected, "a range that starts one vector in");
    }

    private static double sumOfFirstVectorButOne(float[] g) {
        double s = 0;
        for (int i = 1; i < L; i++) s += (double) g[i] * g[i];
        return s;
    }

    @Test
    void clippedDecayedUpdatesTrackCoreAdam() {
        int n = 4 * L;
        double[] w = new double[n];
        float[] wf = new float[n];
        double[] m = new double[n];
        double[] v = new double[n];
        AdamF32 adam = new AdamF32(n);
        for (int i = 0; i < n; i++) wf[i] = (float) (w[i] = random.nextGaussian() * 0.1);
        // the gradient's norm is about sqrt(n) * 3, far above the clip of 1: every step is clipped
        TrainingConfig config = new TrainingConfig(20, 1, 0.01, 0.9, 0.99, 1e-8, 1,
                new TrainingControls(2, TrainingControls.Schedule.COSINE, 0.001, 0.1, 1.0));
        for (int t = 0; t < 5; t++) {
            double[] g = new double[n];
            float[] gf = new float[n];
            for (int i = 0; i < n; i++) gf[i] = (float) (g[i] = 3 * random.nextGaussian());
            AdamStep step = AdamStep.of(config, t);
            float scale = AdamF32.clipScale(gf, step);
            assertEquals(step.clipScale(Adam.norm(g, n)), scale, 1e-6 * scale, "clip factor of step " + (t + 1));
            Adam.update(w, g, m, v, n, step);
            adam.update(wf, gf, step, scale, 0, n);
        }
        for (int i = 0; i < n; i++) assertEquals(w[i], wf[i], 1e-6, "weight " + i);
        for (int i = 0; i < n; i++) assertEquals(m[i], adam.firstMoment[i], 1e-6, "first moment " + i);
    }

    @Test
    void noClippingMeansAScaleOfExactlyOne() {
        float[] g = {5, 5, 5, 5};
        assertEquals(1f, AdamF32.clipScale(g, AdamStep.of(TrainingConfig.reference(), 0)));
    }
}
