package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The f32 Adam: bit for bit against a plain loop of its formulas (with flush to zero), and its training controls
 * against core's f64 Adam, at this JVM's vector width (the build also runs this class at 128 and 256 bits).
 */
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

    /**
     * The oracle: AdamF32's formulas one float at a time in the same order (products, then sums; no fused
     * multiply-adds), each product whose exact value is below 2^-126 in magnitude taken as 0 (flush to zero).
     */
    private static void plainAdam(float[] w, float[] g, float[] m, float[] v, AdamStep s, float scale) {
        float beta1 = (float) s.beta1();
        float beta2 = (float) s.beta2();
        float oneMinusBeta1 = (float) (1 - s.beta1());
        float oneMinusBeta2 = (float) (1 - s.beta2());
        float stepFactor = (float) (1 / s.biasCorrection1()) * (float) s.learningRate();
        float inverseC2 = (float) (1 / s.biasCorrection2());
        float decayRate = (float) (s.learningRate() * s.weightDecay());
        for (int i = 0; i < w.length; i++) {
            float gi = scale != 1f ? product(g[i], scale) : g[i];
            m[i] = product(m[i], beta1) + product(gi, oneMinusBeta1);
            v[i] = product(v[i], beta2) + product(product(gi, gi), oneMinusBeta2);
            float step = product(m[i], stepFactor) / ((float) Math.sqrt(v[i] * inverseC2) + (float) s.eps());
            float wi = s.weightDecay() > 0 ? w[i] - w[i] * decayRate : w[i];
            w[i] = wi - step;
        }
    }

    /** a * b in f32, or 0 where the exact product is subnormal. */
    private static float product(float a, float b) {
        return Math.abs((double) a * b) < Float.MIN_NORMAL ? 0f : a * b;
    }

    /**
     * Values of every magnitude, away from the flush boundaries (where the oracle's exact test and the kernel's
     * operand thresholds could round differently): moments stuck in the subnormal range, normal moments whose
     * decay or step would be subnormal, gradients whose square would be, subnormal gradients, and ordinary ones.
     */
    private float[][] mixedState(int n) {
        float[] w = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        float[] tinyMoments = {Float.MIN_VALUE, 3 * Float.MIN_VALUE, 1e-39f, 1e-38f, 1e-37f, 1e-30f, 0f};
        float[] tinyGradients = {0f, 1e-39f, 1e-30f, 1e-20f, 1e-18f};
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.1 * random.nextGaussian());
            boolean odd = random.nextInt(3) == 0;
            g[i] = odd ? tinyGradients[random.nextInt(tinyGradients.length)] * (random.nextBoolean() ? 1 : -1)
                    : (float) (0.01 * random.nextGaussian());
            m[i] = random.nextInt(3) == 0 ? tinyMoments[random.nextInt(tinyMoments.length)] * (random.nextBoolean() ? 1 : -1)
                    : (float) (0.001 * random.nextGaussian());
            v[i] = random.nextInt(3) == 0 ? tinyMoments[random.nextInt(tinyMoments.length)] : (float) (1e-5 * random.nextDouble());
        }
        return new float[][] {w, g, m, v};
    }

    /** Same floats as the plain loop, bit for bit, over normal and subnormal inputs, with and without clipping and decay. */
    @Test
    void updateMatchesAPlainLoopBitForBit() {
        int n = 37 * L;
        TrainingConfig plain = TrainingConfig.reference().withSteps(100);
        TrainingConfig controlled = new TrainingConfig(100, 1, 0.01, 0.9, 0.999, 1e-8, 1,
                new TrainingControls(2, TrainingControls.Schedule.COSINE, 0.001, 0.1, 1.0));
        for (TrainingConfig config : new TrainingConfig[] {plain, controlled}) {
            for (float scale : new float[] {1f, 0.25f}) {
                float[][] state = mixedState(n);
                float[] w = state[0].clone();
                float[] m = state[2].clone();
                float[] v = state[3].clone();
                AdamF32 adam = new AdamF32(n);
                System.arraycopy(state[2], 0, adam.firstMoment, 0, n);
                System.arraycopy(state[3], 0, adam.secondMoment, 0, n);
                for (int t = 0; t < 3; t++) {
                    AdamStep step = AdamStep.of(config, 10 * t);
                    plainAdam(w, state[1], m, v, step, scale);
                    adam.update(state[0], state[1], step, scale, 0, n);
                    for (int i = 0; i < n; i++) {
                        String at = " at " + i + " after step " + (t + 1) + " (scale " + scale + ", decay " + step.weightDecay()
                                + "): g " + state[1][i];
                        assertEquals(Float.floatToRawIntBits(m[i]), Float.floatToRawIntBits(adam.firstMoment[i]),
                                "first moment" + at + ", expected " + m[i] + ", got " + adam.firstMoment[i]);
                        assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(adam.secondMoment[i]),
                                "second moment" + at + ", expected " + v[i] + ", got " + adam.secondMoment[i]);
                        assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(state[0][i]),
                                "weight" + at + ", expected " + w[i] + ", got " + state[0][i]);
                    }
                }
            }
        }
    }

    /**
     * Vectors of ordinary values (which skip the flushes) beside vectors with one lane that needs one (a tiny or zero
     * gradient, a tiny first or second moment, at any lane): the same floats as the plain loop, bit for bit, so the
     * test that picks the vectors to flush misses none.
     */
    @Test
    void vectorsWithOneTinyLaneMatchAPlainLoopBitForBit() {
        int n = 41 * L;
        float[] w = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        float[] tiny = {0f, Float.MIN_VALUE, 1e-39f, 1e-38f, 1e-37f, 1e-30f, 1e-20f, 1e-19f};
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.1 * random.nextGaussian());
            g[i] = (float) (0.01 * random.nextGaussian());
            m[i] = (float) (0.001 * random.nextGaussian());
            v[i] = (float) (1e-5 * (0.1 + random.nextDouble()));
        }
        // where a flush changes the result: a tiny gradient with zero moments, a tiny moment with a zero gradient,
        // and a gradient just above its own floor (1e-18 squared is ~1e-36, beside a subnormal second moment)
        for (int vec = 0; vec < n / L; vec++) {
            int i = vec * L + random.nextInt(L);
            float x = tiny[random.nextInt(tiny.length)] * (random.nextBoolean() ? 1 : -1);
            switch (vec % 5) {
                case 0: g[i] = x; m[i] = 0f; v[i] = 0f; break;
                case 1: m[i] = x; g[i] = 0f; break;
                case 2: v[i] = Math.abs(x); g[i] = 0f; break;
                case 3: g[i] = 1.2e-18f * (random.nextBoolean() ? 1 : -1); v[i] = 1e-38f; break;
                default: break;   // every lane ordinary
            }
        }
        AdamF32 adam = new AdamF32(n);
        System.arraycopy(m, 0, adam.firstMoment, 0, n);
        System.arraycopy(v, 0, adam.secondMoment, 0, n);
        float[] kernelW = w.clone();
        for (int t = 0; t < 3; t++) {
            AdamStep step = AdamStep.of(TrainingConfig.reference().withSteps(100), 10 * t);
            plainAdam(w, g, m, v, step, 1f);
            adam.update(kernelW, g, step, 1f, 0, n);
            for (int i = 0; i < n; i++) {
                String at = " at " + i + " after step " + (t + 1) + ": g " + g[i];
                assertEquals(Float.floatToRawIntBits(m[i]), Float.floatToRawIntBits(adam.firstMoment[i]), "first moment" + at);
                assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(adam.secondMoment[i]), "second moment" + at);
                assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(kernelW[i]), "weight" + at);
            }
        }
    }

    /**
     * The case that made the flush worth it: a weight whose gradient stays 0 keeps its moments, without the
     * flush, at the smallest subnormals for ever (0.85 x 2^-149 rounds back to 2^-149); with it they become 0,
     * and the weight is what it would have been (the step those moments made was far below its last bit).
     */
    @Test
    void momentsOfAWeightWithoutGradientReachZeroNotASubnormal() {
        int n = L;
        AdamF32 adam = new AdamF32(n);
        float[] w = new float[n];
        float[] g = new float[n];
        java.util.Arrays.fill(w, 0.05f);
        java.util.Arrays.fill(adam.firstMoment, 1e-3f);
        java.util.Arrays.fill(adam.secondMoment, 1e-6f);
        float[] expected = w.clone();
        float[] m = adam.firstMoment.clone();
        float[] v = adam.secondMoment.clone();
        TrainingConfig config = TrainingConfig.reference().withSteps(20_000);
        for (int t = 0; t < 10_000; t++) {   // 0.99^t x 1e-6 falls below 2^-126 after about 7,300 steps
            AdamStep step = AdamStep.of(config, t);
            plainAdam(expected, g, m, v, step, 1f);
            adam.update(w, g, step, 1f, 0, n);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(0f, adam.firstMoment[i], 0f, "first moment " + i);
            assertEquals(0f, adam.secondMoment[i], 0f, "second moment " + i);
            assertEquals(expected[i], w[i], 0f, "weight " + i);
        }
        assertTrue(expected[0] < 0.05f, "the moments moved the weight before they decayed: " + expected[0]);
    }

    @Test
    void floorsAreWhereProductsBecomeSubnormal() {
        for (float factor : new float[] {0.85f, 0.99f, 0.15f, 0.01f, 1e-4f, 1f}) {
            float floor = AdamF32.floorFor(factor);
            // flushing |x| < floor flushes exactly the x whose exact product with the factor is below 2^-126
            assertTrue((double) Math.nextDown(floor) * factor < Float.MIN_NORMAL, factor + ": below " + floor + " the product is subnormal");
            assertTrue((double) floor * factor <= Float.MIN_NORMAL, factor + ": " + floor + " is not above the boundary");
            assertTrue((double) Math.nextUp(floor) * factor > Float.MIN_NORMAL, factor + ": the next float up is past it");
        }
        assertEquals(Float.POSITIVE_INFINITY, AdamF32.floorFor(0f), "a factor of 0: every product is 0 anyway");
    }
}
