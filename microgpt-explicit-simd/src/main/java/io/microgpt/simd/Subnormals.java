package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Flush to zero: values below f32's smallest normal magnitude (2^-126, {@link Float#MIN_NORMAL}) set to 0, as a
 * CPU's flush-to-zero mode would (Java has none). Why: on Intel cores every multiply or fma that reads a
 * subnormal costs a microcode assist of about 100-250 cycles, and attention's backward leaves some in dL/dq,
 * dL/dk and dL/dv once training has sharpened the attention (weights near e^-87 times small gradients; at
 * n_embd 64 after ~1,000 steps on the names, about 1,100 of 48k values). The products that read them were
 * then most of a step. What a flushed value could still add to any sum it enters is below 2^-126 times a
 * weight, lost in every sum of normal size.
 */
final class Subnormals {
    private Subnormals() {
    }

    /** m[r, c] = 0 wherever |m[r, c]| &lt; 2^-126, for rows [r0, r1) and columns [c0, c1). */
    static void flush(Matrix m, int r0, int r1, int c0, int c1) {
        float[] d = m.data();
        int lanes = VectorKernels.LANES;
        for (int r = r0; r < r1; r++) {
            int row = m.row(r);
            int c = c0;
            for (; c < c1 && (row + c) % lanes != 0; c++) d[row + c] = flushed(d[row + c]);   // to a whole vector
            for (; c + lanes <= c1; c += lanes) {
                FloatVector v = FloatVector.fromArray(VectorKernels.SPECIES, d, row + c);
                v.blend(0f, v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)).intoArray(d, row + c);
            }
            for (; c < c1; c++) d[row + c] = flushed(d[row + c]);   // tail
        }
    }

    private static float flushed(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
