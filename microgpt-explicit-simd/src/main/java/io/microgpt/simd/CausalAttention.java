package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;
import static io.microgpt.simd.VectorKernels.STORE;

/**
 * Multi-head causal self-attention inside each document: the query at position t attends to the keys and
 * values of positions u = 0..t of the same document. Per document and head it is small matrix products on
 * the {@link VectorKernels}, with the scores kept transposed — a row per key, a lane per query — so that the
 * softmax over the keys is a column operation: maxima and sums run down the rows, lane-parallel, with no
 * reduction across lanes. Products whose width is one head are computed over all n_embd columns and the
 * head's columns kept: wasted lanes, but whole vectors.
 */
final class CausalAttention {
    /** 0, 1, 2, ... as floats: lane indices. */
    private static final float[] LANE_INDEX = new float[LANES];

    static {
        for (int i = 0; i < LANES; i++) LANE_INDEX[i] = i;
    }

    private final int heads;
    private final int headDim;
    private final int nEmbd;
    private final int width;
    private final float scale;

    CausalAttention(ModelConfig config) {
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.nEmbd = config.nEmbd();
        this.width = VectorKernels.padded(nEmbd);
        this.scale = (float) (1 / Math.sqrt(headDim));
    }

    /** The end of the run of rows from {@code r} that belong to the same document, within [r, to). */
    private static int documentEnd(int[] position, int r, int to) {
        int first = r - position[r];
        int end = r + 1;
        while (end < to && end - position[end] == first) end++;
        return end;
    }

    /**
     * For the queries of rows [from, to) and each head: z_u = scale * q . k_u over keys u = 0..t,
     * w = softmax(z), attended = sum_u w_u v_u. Keys and values of the earlier rows of each document must be
     * computed (they are the KV cache when rows come one at a time).
     */
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to) {
        int[] position = b.position;
        transpose(a.q, from, to, b.transposed);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(position, r0, to);
            int first = r0 - position[r0];
            int keys = r1 - first;
            int queryWidth = VectorKernels.padded(r1 - r0);
            for (int h = 0; h < heads; h++) {
                Matrix weights = a.weightsByHead[h];
                // z^T = k_h q_h^T: row u (a key), lane t (a query)
                VectorKernels.multiply(a.keysByHead[h], first, r1, headDim, b.transposedByHead[h], r0, queryWidth,
                        weights, STORE, null);
                softmaxDownColumns(weights, first, r1, position[r0], queryWidth);
                // attended_h[t] = sum_u w[u, t] v_h[u]
                VectorKernels.outerProducts(weights, first, r1, r1 - r0, a.v, width, b.headOut, r0);
                copyHeadColumns(b.headOut, r0, r1, h, a.attended);
            }
            r0 = r1;
        }
    }

    /**
     * Softmax of scale * z down each column of z^T (rows [first, end) = keys, lanes = queries from position
     * p0 on), the future masked: key u is visible to query lane t when u &lt;= p0 + t.
     */
    private void softmaxDownColumns(Matrix w, int first, int end, int p0, int queryWidth) {
        float[] d = w.data();
        for (int c = 0; c < queryWidth; c += LANES) {
            FloatVector lastVisible = FloatVector.fromArray(SPECIES, LANE_INDEX, 0).add(p0 + c);   // p0 + t
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int u = first; u < end; u++) {
                max = max.max(masked(d, w.row(u) + c, lastVisible, u - first));
            }
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int u = first; u < end; u++) {
                int i = w.row(u) + c;
                FloatVector e = VectorKernels.expNonPositive(masked(d, i, lastVisible, u - first).sub(max).mul(scale));
                e.intoArray(d, i);
                sum = sum.add(e);
            }
            FloatVector inverse = FloatVector.broadcast(SPECIES, 1f).div(sum);
            for (int u = first; u < end; u++) {
                int i = w.row(u) + c;
                FloatVector.fromArray(SPECIES, d, i).mul(inverse).intoArray(d, i);
            }
        }
    }

    /** z[i..i + LANES) with the lanes whose query comes before key position u set to -inf. */
    private static FloatVector masked(float[] z, int i, FloatVector lastVisible, int u) {
        return FloatVector.fromArray(SPECIES, z, i).blend(Float.NEGATIVE_INFINITY, lastVisible.compare(VectorOperators.LT, u));
    }

    /**
     * Given dL/d(attended) in b.gradAttended for rows [from, to) (whole documents), writes dL/dq, dL/dk and
     * dL/dv of those rows into b.gradQ, b.gradK, b.gradV.
     */
    void backward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to) {
        int[] position = b.position;
        transpose(b.gradAttended, from, to, b.transposed);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(position, r0, to);
            int n = r1 - r0;
            int queryWidth = VectorKernels.padded(n);
            for (int h = 0; h < heads; h++) {
                Matrix weights = a.weightsByHead[h];
                Matrix gradScores = b.gradScoresByHead[h];
                // attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dw[u, t] = v_h[u] . dL/dattended_h[t]
                VectorKernels.multiply(a.valuesByHead[h], r0, r1, headDim, b.transposedByHead[h], r0, queryWidth,
                        gradScores, STORE, null);
                // w = softmax(z), z = scale q.k  =>  dL/d(q.k)[u, t] = scale w[u, t] (dL/dw[u, t] - sum_u' w dL/dw)
                softmaxBackwardDownColumns(weights, gradScores, r0, r1, queryWidth);
                // s[u, t] = k_h[u] . q_h[t]  =>  dL/dq_h[t] = sum_u dL/ds[u, t] k_h[u]
                VectorKernels.outerProducts(gradScores, r0, r1, n, a.k, width, b.headOut, r0);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradQ);
                // ... and dL/dk_h[u] = sum_t dL/ds[u, t] q_h[t]
                VectorKernels.multiply(gradScores, r0, r1, n, a.q, r0 * a.q.stride(), width, b.headOut, STORE, null);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradK);
                // attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dv_h[u] = sum_t w[u, t] dL/dattended_h[t]
                VectorKernels.multiply(weights, r0, r1, n, b.gradAttended, r0 * b.gradAttended.stride(), width, b.headOut,
                        STORE, null);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradV);
            }
            r0 = r1;
        }
    }

    /** g = scale * w * (g - sum over rows of w * g), column by column (rows [r0, r1)). */
    private void softmaxBackwardDownColumns(Matrix w, Matrix g, int r0, int r1, int queryWidth) {
        float[] wd = w.data();
        float[] gd = g.data();
        for (int c = 0; c < queryWidth; c += LANES) {
            FloatVector total = FloatVector.zero(SPECIES);
            for (int u = r0; u < r1; u++) {
                total = FloatVector.fromArray(SPECIES, wd, w.row(u) + c).fma(FloatVector.fromArray(SPECIES, gd, g.row(u) + c), total);
            }
            for (int u = r0; u < r1; u++) {
                int gi = g.row(u) + c;
                FloatVector.fromArray(SPECIES, gd, gi).sub(total).mul(FloatVector.fromArray(SPECIES, wd, w.row(u) + c))
                        .mul(scale).intoArray(gd, gi);
            }
        }
    }

    /** to[c, r] = from[r, c] for rows [r0, r1) and the n_embd real columns. */
    private void transpose(Matrix from, int r0, int r1, Matrix to) {
        float[] f = from.data();
        float[] t = to.data();
        for (int r = r0; r < r1; r++) {
            int fi = from.row(r);
            for (int c = 0; c < nEmbd; c++) t[to.row(c) + r] = f[fi + c];
        }
    }

    /** to[r, head h's columns] = from[r, same columns] for rows [r0, r1). */
    private void copyHeadColumns(Matrix from, int r0, int r1, int h, Matrix to) {
        int hs = h * headDim;
        float[] f = from.data();
        float[] t = to.data();
        for (int r = r0; r < r1; r++) {
            int fi = from.row(r) + hs;
            int ti = to.row(r) + hs;
            for (int j = 0; j < headDim; j++) t[ti + j] = f[fi + j];
        }
    }
}
