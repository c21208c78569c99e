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
        float[] m = firstMoment;
        float[] v = secondMoment;
        for (int i = from; i < to; i += VectorKernels.LANES) {
            FloatVector gi = FloatVector.fromArray(VectorKernels.SPECIES, g, i);
            if (clip) gi = gi.mul(scale);
            FloatVector mi = FloatVector.fromArray(VectorKernels.SPECIES, m, i).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(VectorKernels.SPECIES, v, i).mul(beta2).add(gi.mul(gi).mul(oneMinusBeta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(inverseC1 * lr).div(vi.mul(inverseC2).sqrt().add(eps));
            FloatVector wi = FloatVector.fromArray(VectorKernels.SPECIES, w, i);
            if (decay) wi = wi.sub(wi.mul(decayRate));
            wi.sub(step).intoArray(w, i);
        }
    }
}
