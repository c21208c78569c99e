package io.microgpt.simd;

import io.microgpt.core.spi.AdamStep;
import jdk.incubator.vector.FloatVector;

/**
 * Adam over f32 buffers (in {@link PaddedLayout}), a vector at a time, with the per-step scalars core
 * computes ({@link AdamStep}):
 * <pre>
 * m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;  w -= lr (m / c1) / (sqrt(v / c2) + eps)
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

    /** One update of w[from, to) from g (to - from a whole number of vectors). */
    void update(float[] w, float[] g, AdamStep s, int from, int to) {
        float beta1 = (float) s.beta1();
        float beta2 = (float) s.beta2();
        float oneMinusBeta1 = (float) (1 - s.beta1());
        float oneMinusBeta2 = (float) (1 - s.beta2());
        float inverseC1 = (float) (1 / s.biasCorrection1());
        float inverseC2 = (float) (1 / s.biasCorrection2());
        float lr = (float) s.learningRate();
        float eps = (float) s.eps();
        float[] m = firstMoment;
        float[] v = secondMoment;
        for (int i = from; i < to; i += VectorKernels.LANES) {
            FloatVector gi = FloatVector.fromArray(VectorKernels.SPECIES, g, i);
            FloatVector mi = FloatVector.fromArray(VectorKernels.SPECIES, m, i).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromArray(VectorKernels.SPECIES, v, i).mul(beta2).add(gi.mul(gi).mul(oneMinusBeta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.mul(inverseC1 * lr).div(vi.mul(inverseC2).sqrt().add(eps));
            FloatVector.fromArray(VectorKernels.SPECIES, w, i).sub(step).intoArray(w, i);
        }
    }
}
