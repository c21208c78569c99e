package io.microgpt.simd;

import io.microgpt.core.spi.AdamStep;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Adam over f32 buffers (in {@link PaddedLayout}), a vector at a time, with the per-step scalars core
 * computes ({@link AdamStep}), including its optional gradient clipping (scale {@code s}) and decoupled weight
 * decay {@code wd}:
 * <pre>
 * g = s g;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
 * w -= lr wd w;  w -= lr (m / c1) / (sqrt(v / c2) + eps)
 * </pre>
 *
 * <p>Flush to zero: an operand whose product with its factor would fall below f32's smallest normal number
 * (2^-126, {@link Float#MIN_NORMAL}) is taken as 0 before the multiply (g before s g, m before beta1 m, g before
 * (1 - beta1) g, v before beta2 v, g before (1 - beta2) g^2, m before lr m / c1; a stored m or v that is already
 * subnormal therefore counts as 0), as a CPU's flush-to-zero mode would, which Java does not offer. Wherever no product
 * would be subnormal the floats are those of the plain formulas above, bit for bit. Why: moments of weights whose
 * gradient stays 0 (dead ReLU units, unused embedding rows; common at batch 1) decay into the subnormal range and
 * then stay there (beta1 times the smallest subnormals rounds back to them), and on Intel cores every
 * multiply, fma, divide or square root that reads or writes a subnormal costs about 100-250 cycles (a microcode
 * assist); at n_embd 64, batch 1 this made Adam three quarters of the step. Adds and compares cost nothing
 * extra, so the flushes (an abs, a compare and a blend each) are cheap. The weights: a subnormal m would move a
 * weight by less than lr 2^-126 / eps (~1e-32 at the defaults), which changes no weight above ~1e-25.
 */
final class AdamF32 {
    /** First moment m. */
    final float[] firstMoment;
    /** Second moment v. */
    final float[] secondMoment;

    AdamF32(int size) {
        this.firstMoment = new float[size];
        this.secondMoment = new float[size];
    }

    /**
     * The factor this step scales the whole gradient {@code g} by: 1 unless the step clips, else
     * {@link AdamStep#clipScale} of its L2 norm (the padding is 0, so it adds nothing to the norm).
     */
    static float clipScale(float[] g, AdamStep s) {
        if (s.gradClip() <= 0) return 1f;
        return (float) s.clipScale(Math.sqrt(sumOfSquares(g, 0, g.length)));
    }

    /** sum of g[i]^2 over [from, to) (to - from a whole number of vectors), fma per lane, reduced once. */
    static double sumOfSquares(float[] g, int from, int to) {
        FloatVector acc = FloatVector.zero(VectorKernels.SPECIES);
        for (int i = from; i < to; i += VectorKernels.LANES) {
            FloatVector gi = FloatVector.fromArray(VectorKernels.SPECIES, g, i);
            acc = gi.fma(gi, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** One update of w[from, to) from g (to - from a whole number of vectors), g scaled by {@code scale} (see {@link #clipScale}). */
    void update(float[] w, float[] g, AdamStep s, float scale, int from, int to) {
        float beta1 = (float) s.beta1();
        float beta2 = (float) s.beta2();
        float oneMinusBeta1 = (float) (1 - s.beta1());
        float oneMinusBeta2 = (float) (1 - s.beta2());
        float inverseC1 = (float) (1 / s.biasCorrection1());
        float inverseC2 = (float) (1 / s.biasCorrection2());
        float lr = (float) s.learningRate();
        float eps = (float) s.eps();
        boolean clip = scale != 1f;
        boolean decay = s.weightDecay() > 0;
        float decayRate = (float) (s.learningRate() * s.weightDecay());
        float stepFactor = inverseC1 * lr;
        // below these magnitudes the operand's product would be subnormal: it counts as 0 (see the class comment)
        float gFloor = floorFor(scale);
        float mFloor = floorFor(beta1);
        float gFloorM = floorFor(oneMinusBeta1);
        float vFloor = floorFor(beta2);
        float gFloorV = oneMinusBeta2 == 0 ? Float.POSITIVE_INFINITY : roundedDown(Math.sqrt(Float.MIN_NORMAL / (double) oneMinusBeta2));
        float stepFloor = floorFor(stepFactor);
        float[] m = firstMoment;
        float[] v = secondMoment;
        for (int i = from; i < to; i += VectorKernels.LANES) {
            FloatVector gi = FloatVector.fromArray(VectorKernels.SPECIES, g, i);
            if (clip) gi = gi.blend(0f, gi.abs().compare(VectorOperators.LT, gFloor)).mul(scale);
            FloatVector mi = FloatVector.fromArray(VectorKernels.SPECIES, m, i);
            FloatVector vi = FloatVector.fromArray(VectorKernels.SPECIES, v, i);
            FloatVector gm = gi.blend(0f, gi.abs().compare(VectorOperators.LT, gFloorM));
            FloatVector gv = gi.blend(0f, gi.abs().compare(VectorOperators.LT, gFloorV));
            mi = mi.blend(0f, mi.abs().compare(VectorOperators.LT, mFloor));
            vi = vi.blend(0f, vi.abs().compare(VectorOperators.LT, vFloor));
            mi = mi.mul(beta1).add(gm.mul(oneMinusBeta1));
            vi = vi.mul(beta2).add(gv.mul(gv).mul(oneMinusBeta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector numerator = mi.blend(0f, mi.abs().compare(VectorOperators.LT, stepFloor)).mul(stepFactor);
            FloatVector step = numerator.div(vi.mul(inverseC2).sqrt().add(eps));
            FloatVector wi = FloatVector.fromArray(VectorKernels.SPECIES, w, i);
            if (decay) wi = wi.sub(wi.mul(decayRate));
            wi.sub(step).intoArray(w, i);
        }
    }

    /**
     * The magnitude below which x * factor is subnormal: 2^-126 / factor, rounded down (infinite for a factor of
     * 0, whose products are 0 either way).
     */
    static float floorFor(float factor) {
        return factor == 0 ? Float.POSITIVE_INFINITY : roundedDown(Float.MIN_NORMAL / (double) Math.abs(factor));
    }

    /** The largest float at most x. */
    private static float roundedDown(double x) {
        float f = (float) x;
        return f > x ? Math.nextDown(f) : f;
    }
}
