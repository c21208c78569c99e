package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Multi-head causal self-attention inside each document: the query of position p attends to the keys and
 * values of positions 0..p of the same document (rows {@code r - p .. r}). Heads are slices of the
 * n_embd-wide q, k, v rows. Dot products run over a head's few dimensions in scalar code; the softmax over
 * the keys runs on vectors (one vector holds 16 keys). One instance per thread (it owns a scratch row).
 */
final class CausalAttention {
    private final int heads;
    private final int headDim;
    /** Stride of the attention weights of one (row, head): the block size padded to whole vectors. */
    private final int keyWidth;
    private final float scale;
    /** dL/d(attention weights) of one (row, head). */
    private final float[] gradWeights;

    CausalAttention(ModelConfig config) {
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.keyWidth = VectorKernels.padded(config.blockSize());
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.gradWeights = new float[keyWidth];
    }

    /** Keys 0..p rounded up to whole vectors. */
    private static int keyVectorsEnd(int p) {
        return VectorKernels.padded(p + 1);
    }

    /**
     * For rows [from, to) and each head: z_u = scale * q . k_u over keys u = 0..p, w = softmax(z),
     * attended = sum_u w_u v_u. Keys and values of the earlier rows of each document must be computed.
     */
    void forward(BatchBuffers.LayerActivations a, int[] position, int from, int to) {
        float[] q = a.q.data();
        float[] k = a.k.data();
        float[] v = a.v.data();
        float[] w = a.attnWeights;
        float[] out = a.attended.data();
        int stride = a.k.stride();
        for (int r = from; r < to; r++) {
            int p = position[r];
            int first = r - p;
            int end = keyVectorsEnd(p);
            for (int h = 0; h < heads; h++) {
                int hs = h * headDim;
                int qi = a.q.row(r) + hs;
                int wi = (r * heads + h) * keyWidth;
                for (int u = 0, ki = a.k.row(first) + hs; u <= p; u++, ki += stride) {
                    float dot = 0;
                    for (int j = 0; j < headDim; j++) dot += q[qi + j] * k[ki + j];
                    w[wi + u] = dot * scale;
                }
                for (int u = p + 1; u < end; u++) w[wi + u] = Float.NEGATIVE_INFINITY;   // future keys: weight 0
                softmax(w, wi, end);
                int oi = a.attended.row(r) + hs;
                for (int j = 0; j < headDim; j++) out[oi + j] = 0;
                for (int u = 0, vi = a.v.row(first) + hs; u <= p; u++, vi += stride) {
                    float wu = w[wi + u];
                    for (int j = 0; j < headDim; j++) out[oi + j] += wu * v[vi + j];
                }
            }
        }
    }

    /** w[wi..wi+end) = softmax(w[wi..wi+end)), on vectors: e^(z - max z) / sum. */
    private static void softmax(float[] w, int wi, int end) {
        FloatVector maxV = FloatVector.fromArray(VectorKernels.SPECIES, w, wi);
        for (int u = VectorKernels.LANES; u < end; u += VectorKernels.LANES) {
            maxV = maxV.max(FloatVector.fromArray(VectorKernels.SPECIES, w, wi + u));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        FloatVector sumV = FloatVector.zero(VectorKernels.SPECIES);
        for (int u = 0; u < end; u += VectorKernels.LANES) {
            FloatVector e = VectorKernels.expNonPositive(FloatVector.fromArray(VectorKernels.SPECIES, w, wi + u).sub(max));
            e.intoArray(w, wi + u);
            sumV = sumV.add(e);
        }
        float inverse = 1 / sumV.reduceLanes(VectorOperators.ADD);
        for (int u = 0; u < end; u += VectorKernels.LANES) {
            FloatVector.fromArray(VectorKernels.SPECIES, w, wi + u).mul(inverse).intoArray(w, wi + u);
        }
    }

    /**
     * Given dL/d(attended) for rows [from, to) (whole documents), writes dL/dq, dL/dk and dL/dv of those rows.
     */
    void backward(BatchBuffers.LayerActivations a, int[] position, int from, int to, Matrix gradAttended,
                  Matrix gradQ, Matrix gradK, Matrix gradV) {
        float[] q = a.q.data();
        float[] k = a.k.data();
        float[] v = a.v.data();
        float[] w = a.attnWeights;
        float[] da = gradAttended.data();
        float[] dq = gradQ.data();
        float[] dk = gradK.data();
        float[] dv = gradV.data();
        float[] dw = gradWeights;
        int width = gradK.stride();
        for (int r = from; r < to; r++) {
            VectorKernels.clear(dk, gradK.row(r), width);
            VectorKernels.clear(dv, gradV.row(r), width);
        }
        for (int r = from; r < to; r++) {
            int p = position[r];
            int first = r - p;
            int end = keyVectorsEnd(p);
            for (int h = 0; h < heads; h++) {
                int hs = h * headDim;
                int ai = gradAttended.row(r) + hs;
                int wi = (r * heads + h) * keyWidth;
                // attended = sum_u w_u v_u  =>  dL/dw_u = dL/dattended . v_u,  dL/dv_u += w_u dL/dattended
                for (int u = 0, vi = gradV.row(first) + hs; u <= p; u++, vi += width) {
                    float wu = w[wi + u];
                    float g = 0;
                    for (int j = 0; j < headDim; j++) {
                        g += da[ai + j] * v[vi + j];
                        dv[vi + j] += wu * da[ai + j];
                    }
                    dw[u] = g;
                }
                for (int u = p + 1; u < end; u++) dw[u] = 0;
                // w = softmax(z)  =>  dL/dz_u = w_u (dL/dw_u - sum_t w_t dL/dw_t); with z_u = scale q . k_u the
                // scale is folded in here: s_u = scale dL/dz_u
                FloatVector weighted = FloatVector.zero(VectorKernels.SPECIES);
                for (int u = 0; u < end; u += VectorKernels.LANES) {
                    weighted = FloatVector.fromArray(VectorKernels.SPECIES, w, wi + u)
                            .fma(FloatVector.fromArray(VectorKernels.SPECIES, dw, u), weighted);
                }
                float total = weighted.reduceLanes(VectorOperators.ADD);
                for (int u = 0; u < end; u += VectorKernels.LANES) {
                    FloatVector.fromArray(VectorKernels.SPECIES, dw, u).sub(total)
                            .mul(FloatVector.fromArray(VectorKernels.SPECIES, w, wi + u)).mul(scale).intoArray(dw, u);
                }
                // z_u = scale q . k_u  =>  dL/dq = sum_u s_u k_u,  dL/dk_u += s_u q
                int qi = gradQ.row(r) + hs;
                int qa = a.q.row(r) + hs;
                for (int j = 0; j < headDim; j++) dq[qi + j] = 0;
                for (int u = 0, ki = gradK.row(first) + hs; u <= p; u++, ki += width) {
                    float dz = dw[u];
                    for (int j = 0; j < headDim; j++) {
                        dq[qi + j] += dz * k[ki + j];
                        dk[ki + j] += dz * q[qa + j];
                    }
                }
            }
        }
    }
}
