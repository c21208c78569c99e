package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;
import static io.microgpt.simd.VectorKernels.STORE;

/**
 * Multi-head causal self-attention inside each document: the query of position p attends to the keys and
 * values of positions 0..p of the same document. Per document and head it is three small matrix products on
 * the {@link VectorKernels} (scores = q k^T, softmax by rows with the future masked, attended = w v), and
 * backward is their transposes. Products whose width is one head are computed over all n_embd columns and
 * the head's columns kept: wasted lanes, but whole vectors.
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
     * For rows [from, to) and each head: z_u = scale * q . k_u over keys u = 0..p, w = softmax(z),
     * attended = sum_u w_u v_u. Keys and values of the earlier rows of each document must be computed.
     */
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to) {
        int[] position = b.position;
        transpose(a.k, from, to, a.keysTransposed);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(position, r0, to);
            int first = r0 - position[r0];
            int keys = position[r1 - 1] + 1;
            int keyWidth = VectorKernels.padded(keys);
            for (int h = 0; h < heads; h++) {
                Matrix weights = a.weightsByHead[h];
                // z = scale q_h k_h^T (k^T's window starts at the document's first row)
                VectorKernels.multiply(a.queriesByHead[h], r0, r1, headDim, a.keysTransposedByHead[h], first, keyWidth,
                        weights, STORE, null);
                for (int r = r0; r < r1; r++) softmax(weights.data(), weights.row(r), position[r], keyWidth);
                // attended_h = w v_h
                VectorKernels.multiply(weights, r0, r1, keys, a.v, first * a.v.stride(), width, b.headOut, STORE, null);
                copyHeadColumns(b.headOut, r0, r1, h, a.attended, r0);
            }
            r0 = r1;
        }
    }

    /** w[wi..wi+end) = softmax(scale * z) over keys 0..p; keys after p (the future) get weight 0. */
    private void softmax(float[] w, int wi, int p, int end) {
        // the future is masked in registers: scalar stores of -inf into the row would stall the vector loads
        FloatVector maxV = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int u = 0; u < end; u += LANES) maxV = maxV.max(masked(w, wi, u, p));
        float max = maxV.reduceLanes(VectorOperators.MAX);
        FloatVector sumV = FloatVector.zero(SPECIES);
        for (int u = 0; u < end; u += LANES) {
            FloatVector e = VectorKernels.expNonPositive(masked(w, wi, u, p).sub(max).mul(scale));
            e.intoArray(w, wi + u);
            sumV = sumV.add(e);
        }
        float inverse = 1 / sumV.reduceLanes(VectorOperators.ADD);
        for (int u = 0; u < end; u += LANES) FloatVector.fromArray(SPECIES, w, wi + u).mul(inverse).intoArray(w, wi + u);
    }

    /** z[u..u + LANES) with the keys after p set to -inf. */
    private static FloatVector masked(float[] z, int zi, int u, int p) {
        FloatVector keyIndex = FloatVector.fromArray(SPECIES, LANE_INDEX, 0).add(u);
        return FloatVector.fromArray(SPECIES, z, zi + u).blend(Float.NEGATIVE_INFINITY, keyIndex.compare(VectorOperators.GT, p));
    }

    /**
     * Given dL/d(attended) in b.gradAttended for rows [from, to) (whole documents), writes dL/dq, dL/dk and
     * dL/dv of those rows into b.gradQ, b.gradK, b.gradV.
     */
    void backward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to) {
        int[] position = b.position;
        transpose(a.v, from, to, b.valuesTransposed);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(position, r0, to);
            int keys = r1 - r0;
            int keyWidth = VectorKernels.padded(keys);
            for (int h = 0; h < heads; h++) {
                Matrix weights = a.weightsByHead[h];
                Matrix gradScores = b.gradScoresByHead[h];
                // attended_h = w v_h  =>  dL/dw = dL/dattended_h v_h^T
                VectorKernels.multiply(b.gradAttendedByHead[h], r0, r1, headDim, b.valuesTransposedByHead[h], r0, keyWidth,
                        gradScores, STORE, null);
                // w = softmax(z), z = scale q.k  =>  dL/d(q.k)_u = scale w_u (dL/dw_u - sum_t w_t dL/dw_t)
                for (int r = r0; r < r1; r++) softmaxBackward(weights.data(), weights.row(r), gradScores.data(), gradScores.row(r), keyWidth);
                // s = q_h k_h^T  =>  dL/dq_h = dL/ds k_h
                VectorKernels.multiply(gradScores, r0, r1, keys, a.k, r0 * a.k.stride(), width, b.headOut, STORE, null);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradQ, r0);
                // ... and dL/dk_h[u] = sum_t dL/ds[t, u] q_h[t]
                clearRows(b.headOut, r0, r1);
                VectorKernels.accumulateOuterProducts(gradScores, r0, r1, keys, a.q, width, b.headOut, r0);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradK, r0);
                // attended_h = w v_h  =>  dL/dv_h[u] = sum_t w[t, u] dL/dattended_h[t]
                clearRows(b.headOut, r0, r1);
                VectorKernels.accumulateOuterProducts(weights, r0, r1, keys, b.gradAttended, width, b.headOut, r0);
                copyHeadColumns(b.headOut, r0, r1, h, b.gradV, r0);
            }
            r0 = r1;
        }
    }

    /** g[gi..gi+end) = scale * w * (g - sum(w * g)): the softmax's backward, the scale of the scores folded in. */
    private void softmaxBackward(float[] w, int wi, float[] g, int gi, int end) {
        FloatVector weighted = FloatVector.zero(SPECIES);
        for (int u = 0; u < end; u += LANES) {
            weighted = FloatVector.fromArray(SPECIES, w, wi + u).fma(FloatVector.fromArray(SPECIES, g, gi + u), weighted);
        }
        float total = weighted.reduceLanes(VectorOperators.ADD);
        for (int u = 0; u < end; u += LANES) {
            FloatVector.fromArray(SPECIES, g, gi + u).sub(total).mul(FloatVector.fromArray(SPECIES, w, wi + u)).mul(scale)
                    .intoArray(g, gi + u);
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

    /** to[toRow + i, head h's columns] = from[r0 + i, same columns] for rows [r0, r1). */
    private void copyHeadColumns(Matrix from, int r0, int r1, int h, Matrix to, int toRow) {
        int hs = h * headDim;
        for (int r = r0; r < r1; r++) {
            System.arraycopy(from.data(), from.row(r) + hs, to.data(), to.row(toRow + r - r0) + hs, headDim);
        }
    }

    private void clearRows(Matrix m, int r0, int r1) {
        for (int r = r0; r < r1; r++) VectorKernels.clear(m.data(), m.row(r), width);
    }
}
