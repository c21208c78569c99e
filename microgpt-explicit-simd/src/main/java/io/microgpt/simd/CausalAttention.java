package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.VectorKernels.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;

/**
 * Multi-head causal self-attention inside each document: the query at position t attends to the keys and
 * values of positions u = 0..t of the same document. It works on one document at a time, whose rows of q, k
 * and v are first copied out into an {@link AttentionScratch} (sized for one block, whatever the batch), and
 * then one head at a time, by small matrix products on the {@link VectorKernels}, with the scores kept
 * transposed — a row per key, a lane per query — so that the softmax over the keys is a column operation:
 * maxima and sums run down the rows, lane-parallel, with no reduction across lanes.
 *
 * <p>Forward keeps the weights for backward when they fit (see {@link BatchBuffers#KEPT_WEIGHTS_LIMIT});
 * otherwise backward recomputes each document's weights from q and k by the same operations in the same
 * order, so they are the same bits either way.
 *
 * <p>Stateless but for the shape: threads share one instance, each with its own scratch and its own rows.
 */
final class CausalAttention {
    private final int heads;
    private final int headDim;
    /** headDim rounded up to whole vectors: the width of the head-wide products. */
    private final int headWidth;
    private final float scale;

    CausalAttention(ModelConfig config) {
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.headWidth = VectorKernels.padded(headDim);
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
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, AttentionScratch s) {
        forward(b, a, from, to, 0, heads, s);
    }

    /** {@link #forward} for heads [h0, h1) only (threads split a layer's attention by document and head). */
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, int h0, int h1, AttentionScratch s) {
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(b.position, r0, to);
            int first = r0 - b.position[r0];
            copyRows(a.q, first, r1, s.queries);
            copyRows(a.k, first, r1, s.keys);
            copyRows(a.v, first, r1, s.values);
            transpose(s.queries, r0 - first, r1 - first, s.queriesT);
            for (int h = h0; h < h1; h++) {
                attentionWeights(s, h, r1 - first, r0 - first);
                if (a.weightsByHead != null) copyWeights(s.weights, 0, a.weightsByHead[h], first, r1 - first, r1 - r0);
                // attended_h[t] = sum_u w[u, t] v_h[u]
                VectorKernels.outerProducts(s.weights, 0, r1 - first, r1 - r0, s.valuesByHead[h], headWidth, s.headOut, false);
                pasteHead(s.headOut, r1 - r0, h, a.attended, r0);
            }
            r0 = r1;
        }
    }

    /**
     * s.weights = the softmax, down each column, of z^T = scale * k_h q_h^T for the document's first
     * {@code keys} keys (a row each) and its queries from position p0 on (a lane each), from the document's
     * keys in s.keys and its queries from p0 on transposed in s.queriesT.
     */
    private void attentionWeights(AttentionScratch s, int h, int keys, int p0) {
        int queryWidth = VectorKernels.padded(keys - p0);
        VectorKernels.multiply(s.keysByHead[h], 0, keys, headDim, s.queriesTByHead[h], queryWidth, s.weights, Epilogue.STORE, null);
        softmaxDownColumns(s.weights, keys, p0, queryWidth);
    }

    /**
     * Softmax of scale * z down each column of z^T (rows [0, keys) = keys, lanes = queries from position p0
     * on), the future masked: key u is visible to query lane t when u &lt;= p0 + t.
     */
    private void softmaxDownColumns(Matrix w, int keys, int p0, int queryWidth) {
        float[] d = w.data();
        for (int c = 0; c < queryWidth; c += LANES) {
            FloatVector lastVisible = VectorKernels.laneIndices(p0 + c);   // p0 + t
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int u = 0; u < keys; u++) {
                max = max.max(masked(d, w.row(u) + c, lastVisible, u));
            }
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int u = 0; u < keys; u++) {
                int i = w.row(u) + c;
                FloatVector z = masked(d, i, lastVisible, u);
                FloatVector e = VectorKernels.expNonPositive(z.sub(max).mul(scale));
                e.intoArray(d, i);
                sum = sum.add(e);
            }
            FloatVector inverse = FloatVector.broadcast(SPECIES, 1f).div(sum);
            for (int u = 0; u < keys; u++) {
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
    void backward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, AttentionScratch s) {
        backward(b, a, from, to, 0, heads, s);
    }

    /** {@link #backward} for heads [h0, h1) only: writes those heads' columns of dL/dq, dL/dk, dL/dv. */
    void backward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, int h0, int h1, AttentionScratch s) {
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(b.position, r0, to);
            int n = r1 - r0;
            int queryWidth = VectorKernels.padded(n);
            copyRows(a.q, r0, r1, s.queries);
            copyRows(a.k, r0, r1, s.keys);
            copyRows(a.v, r0, r1, s.values);
            copyRows(b.gradAttended, r0, r1, s.gradAttended);
            if (a.weightsByHead == null) transpose(s.queries, 0, n, s.queriesT);
            transpose(s.gradAttended, 0, n, s.gradAttendedT);
            for (int h = h0; h < h1; h++) {
                if (a.weightsByHead != null) copyWeights(a.weightsByHead[h], r0, s.weights, 0, n, n);
                else attentionWeights(s, h, n, 0);
                // attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dw[u, t] = v_h[u] . dL/dattended_h[t]
                VectorKernels.multiply(s.valuesByHead[h], 0, n, headDim, s.gradAttendedTByHead[h], queryWidth, s.gradScores,
                        Epilogue.STORE, null);
                // w = softmax(z), z = scale q.k  =>  dL/d(q.k)[u, t] = scale w[u, t] (dL/dw[u, t] - sum_u' w dL/dw)
                softmaxBackwardDownColumns(s.weights, s.gradScores, n, queryWidth);
                // s[u, t] = k_h[u] . q_h[t]  =>  dL/dq_h[t] = sum_u dL/ds[u, t] k_h[u]
                VectorKernels.outerProducts(s.gradScores, 0, n, n, s.keysByHead[h], headWidth, s.headOut, false);
                pasteHead(s.headOut, n, h, b.gradQ, r0);
                // ... and dL/dk_h[u] = sum_t dL/ds[u, t] q_h[t]
                VectorKernels.multiply(s.gradScores, 0, n, n, s.queriesByHead[h], headWidth, s.headOut, Epilogue.STORE, null);
                pasteHead(s.headOut, n, h, b.gradK, r0);
                // attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dv_h[u] = sum_t w[u, t] dL/dattended_h[t]
                VectorKernels.multiply(s.weights, 0, n, n, s.gradAttendedByHead[h], headWidth, s.headOut, Epilogue.STORE, null);
                pasteHead(s.headOut, n, h, b.gradV, r0);
            }
            r0 = r1;
        }
    }

    /** g = scale * w * (g - sum over rows of w * g), column by column (rows [0, n)). */
    private void softmaxBackwardDownColumns(Matrix w, Matrix g, int n, int queryWidth) {
        float[] wd = w.data();
        float[] gd = g.data();
        for (int c = 0; c < queryWidth; c += LANES) {
            FloatVector total = FloatVector.zero(SPECIES);
            for (int u = 0; u < n; u++) {
                total = FloatVector.fromArray(SPECIES, wd, w.row(u) + c).fma(FloatVector.fromArray(SPECIES, gd, g.row(u) + c), total);
            }
            for (int u = 0; u < n; u++) {
                int gi = g.row(u) + c;
                FloatVector.fromArray(SPECIES, gd, gi).sub(total).mul(FloatVector.fromArray(SPECIES, wd, w.row(u) + c))
                        .mul(scale).intoArray(gd, gi);
            }
        }
    }

    /** to's rows [t0, t0 + keys) = from's rows [f0, f0 + keys), the first {@code queries} lanes rounded up to whole vectors. */
    private static void copyWeights(Matrix from, int f0, Matrix to, int t0, int keys, int queries) {
        float[] f = from.data();
        float[] t = to.data();
        int width = VectorKernels.padded(queries);
        for (int u = 0; u < keys; u++) {
            int fi = from.row(f0 + u);
            int ti = to.row(t0 + u);
            for (int c = 0; c < width; c += LANES) FloatVector.fromArray(SPECIES, f, fi + c).intoArray(t, ti + c);
        }
    }

    /** to's rows from 0 on = from's rows [r0, r1) (one copy: both have the same stride). */
    private static void copyRows(Matrix from, int r0, int r1, Matrix to) {
        System.arraycopy(from.data(), from.row(r0), to.data(), to.row(0), (r1 - r0) * from.stride());
    }

    /** to[c, i - p0] = from[i, c] for rows i in [p0, end) and the n_embd real columns (all heads at once). */
    private void transpose(Matrix from, int p0, int end, Matrix to) {
        float[] f = from.data();
        float[] t = to.data();
        int columns = heads * headDim;
        for (int i = p0; i < end; i++) {
            int fi = from.row(i);
            for (int c = 0; c < columns; c++) t[to.row(c) + i - p0] = f[fi + c];
        }
    }

    /** to[r0 + i, head h's columns] = from[i, 0..headDim) for i in [0, n). */
    private void pasteHead(Matrix from, int n, int h, Matrix to, int r0) {
        float[] f = from.data();
        float[] t = to.data();
        int hs = h * headDim;
        for (int i = 0; i < n; i++) {
            int fi = from.row(i);
            int ti = to.row(r0 + i) + hs;
            for (int j = 0; j < headDim; j++) t[ti + j] = f[fi + j];
        }
    }
}
