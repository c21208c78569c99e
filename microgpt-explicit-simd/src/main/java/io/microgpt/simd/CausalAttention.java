package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * Multi-head causal self-attention inside each document: the query of position p attends to the keys and
 * values of positions 0..p of the same document (rows {@code r - p .. r}). Heads are slices of the
 * n_embd-wide q, k, v rows. One instance per thread (it owns a scratch row).
 */
final class CausalAttention {
    private final int heads;
    private final int headDim;
    private final int blockSize;
    private final float scale;
    /** dL/d(attention weights) of one (row, head). */
    private final float[] gradWeights;

    CausalAttention(ModelConfig config) {
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.blockSize = config.blockSize();
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.gradWeights = new float[blockSize];
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
        for (int r = from; r < to; r++) {
            int p = position[r];
            int first = r - p;
            for (int h = 0; h < heads; h++) {
                int hs = h * headDim;
                int qi = a.q.row(r) + hs;
                int wi = (r * heads + h) * blockSize;
                float max = Float.NEGATIVE_INFINITY;
                for (int u = 0; u <= p; u++) {
                    int ki = a.k.row(first + u) + hs;
                    float dot = 0;
                    for (int j = 0; j < headDim; j++) dot += q[qi + j] * k[ki + j];
                    float z = dot * scale;
                    w[wi + u] = z;
                    if (z > max) max = z;
                }
                float sum = 0;
                for (int u = 0; u <= p; u++) {
                    float e = (float) Math.exp(w[wi + u] - max);
                    w[wi + u] = e;
                    sum += e;
                }
                float inverse = 1 / sum;
                for (int u = 0; u <= p; u++) w[wi + u] *= inverse;
                int oi = a.attended.row(r) + hs;
                for (int j = 0; j < headDim; j++) out[oi + j] = 0;
                for (int u = 0; u <= p; u++) {
                    int vi = a.v.row(first + u) + hs;
                    float wu = w[wi + u];
                    for (int j = 0; j < headDim; j++) out[oi + j] += wu * v[vi + j];
                }
            }
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
        int width = gradK.stride();
        for (int r = from; r < to; r++) {
            VectorKernels.clear(dk, gradK.row(r), width);
            VectorKernels.clear(dv, gradV.row(r), width);
        }
        for (int r = from; r < to; r++) {
            int p = position[r];
            int first = r - p;
            for (int h = 0; h < heads; h++) {
                int hs = h * headDim;
                int ai = gradAttended.row(r) + hs;
                int wi = (r * heads + h) * blockSize;
                // attended = sum_u w_u v_u  =>  dL/dw_u = dL/dattended . v_u,  dL/dv_u += w_u dL/dattended
                float weighted = 0;
                for (int u = 0; u <= p; u++) {
                    int vi = gradV.row(first + u) + hs;
                    float wu = w[wi + u];
                    float g = 0;
                    for (int j = 0; j < headDim; j++) {
                        g += da[ai + j] * v[vi + j];
                        dv[vi + j] += wu * da[ai + j];
                    }
                    gradWeights[u] = g;
                    weighted += wu * g;
                }
                // w = softmax(z)  =>  dL/dz_u = w_u (dL/dw_u - sum_t w_t dL/dw_t)
                // z_u = scale q . k_u  =>  dL/dq = scale sum_u dL/dz_u k_u,  dL/dk_u += scale dL/dz_u q
                int qi = gradQ.row(r) + hs;
                for (int j = 0; j < headDim; j++) dq[qi + j] = 0;
                for (int u = 0; u <= p; u++) {
                    float dz = w[wi + u] * (gradWeights[u] - weighted) * scale;
                    int ki = gradK.row(first + u) + hs;
                    for (int j = 0; j < headDim; j++) {
                        dq[qi + j] += dz * k[ki + j];
                        dk[ki + j] += dz * q[qi + j];
                    }
                }
            }
        }
    }
}
