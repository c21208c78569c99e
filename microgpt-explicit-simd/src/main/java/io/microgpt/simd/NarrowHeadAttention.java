package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;

/**
 * {@link CausalAttention} for heads narrower than a vector (head_dim &lt; {@link VectorKernels#LANES}, e.g. 4 at
 * n_embd 16), when the heads divide the lanes: a vector holds every head's score for Q = LANES / heads queries,
 * lane {@code h * Q + q} for head h and query {@code t0 + q} of a tile (a "pair vector", one per key). So a tile's
 * every head is one vector per key, where a vector per head and key would leave most lanes empty, and the causal
 * diagonal is skipped Q queries at a time.
 *
 * <p>Each side of a score is spread over the pair lanes once: per key and head column j, k[u, h D + j] into every
 * lane of head h (a pair vector per key and j, once per document); per tile and j, q[t0 + q, h D + j] into lane
 * (h, q). A tile's scores are then D fused multiply-adds per key, and its softmax runs down the keys, lane by lane,
 * as in {@link CausalAttention}. The sums that produce rows (attended values, dL/dq, dL/dk, dL/dv) take each key's
 * pair vector apart per query with a permutation (lane c of a row gets lane (head of c, q)) and add it times a row
 * of v, k, q or dL/dattended: no gathers (a 16-lane gather measured ~25 cycles here, a permutation ~1).
 *
 * <p>Every value is the same chain of operations, in the same order, as {@link CausalAttention}'s per-head tiles:
 * the scores' products in ascending head column, every sum over keys or queries in ascending order, the softmax
 * and its gradient lane by lane with the same operations; terms above the diagonal that these loops add are exact
 * zeros (a weight e^-inf), which leave a sum's bits as they are. So this class changes speed, not results.
 *
 * <p>Stateless but for the shape: threads share one instance, each with its own {@link AttentionScratch} and rows.
 */
final class NarrowHeadAttention {
    private final int heads;
    private final int headDim;
    /** Vectors per row (n_embd padded). */
    private final int rowVectors;
    /** Queries per tile: lanes per head. */
    private final int queries;
    private final float scale;
    /** Floats per key row of the kept weights ({@link BatchBuffers} sizes them heads x padded(block)). */
    private final int keptRowStride;
    /** Per lane: its query within a tile (q of lane h Q + q) as a float; +inf for lanes past heads x Q (never masked). */
    private final float[] laneQuery = new float[LANES];
    /** [j * rowVectors + i]: pair lane (h, q) takes lane (h D + j - i LANES) of a row's vector i (0 where outside). */
    private final VectorShuffle<Float>[] pairShuffle;
    /**
     * [j * LANES + lane (h, q)]: the vector of a row that holds column h D + j, as a float (-1 for lanes past heads x
     * Q). Masks are made by comparing these (and {@link #laneQuery}) as vectors: a mask taken from an array of masks
     * is not compiled to a vector mask, and its blend then allocates.
     */
    private final float[] pairVector;
    /** [q * rowVectors + i]: lane l of a row's vector i takes pair lane (head of column i LANES + l, q) (0 past n_embd). */
    private final VectorShuffle<Float>[] rowShuffle;

    /** Whether this shape's heads are narrower than a vector and divide its lanes. */
    static boolean applies(ModelConfig config) {
        return config.headDim() < LANES && LANES % config.nHead() == 0;
    }

    @SuppressWarnings("unchecked")
    NarrowHeadAttention(ModelConfig config) {
        if (!applies(config)) throw new IllegalArgumentException("heads of " + config.headDim() + " columns are not narrow at " + LANES + " lanes");
        this.heads = config.nHead();
        this.headDim = config.headDim();
        int nEmbd = config.nEmbd();
        this.rowVectors = VectorKernels.padded(nEmbd) / LANES;
        this.queries = LANES / heads;
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.keptRowStride = heads * VectorKernels.padded(config.blockSize());
        for (int lane = 0; lane < LANES; lane++) laneQuery[lane] = lane < heads * queries ? lane % queries : Float.POSITIVE_INFINITY;
        pairShuffle = new VectorShuffle[headDim * rowVectors];
        pairVector = new float[headDim * LANES];
        for (int j = 0; j < headDim; j++) {
            for (int lane = 0; lane < LANES; lane++) pairVector[j * LANES + lane] = lane < heads * queries ? (lane / queries * headDim + j) / LANES : -1;
            for (int i = 0; i < rowVectors; i++) {
                int[] index = new int[LANES];
                for (int lane = 0; lane < heads * queries; lane++) {
                    int column = lane / queries * headDim + j - i * LANES;
                    index[lane] = column >= 0 && column < LANES ? column : 0;
                }
                pairShuffle[j * rowVectors + i] = VectorShuffle.fromArray(SPECIES, index, 0);
            }
        }
        rowShuffle = new VectorShuffle[queries * rowVectors];
        for (int q = 0; q < queries; q++) {
            for (int i = 0; i < rowVectors; i++) {
                int[] index = new int[LANES];
                for (int lane = 0; lane < LANES; lane++) {
                    int column = i * LANES + lane;
                    index[lane] = column < nEmbd ? column / headDim * queries + q : 0;
                }
                rowShuffle[q * rowVectors + i] = VectorShuffle.fromArray(SPECIES, index, 0);
            }
        }
    }

    /** {@link CausalAttention#forward} for heads [h0, h1): writes their columns of the attended values only. */
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, int h0, int h1, AttentionScratch s) {
        AttentionScratch.Tile tile = s.tile;
        tile.heads(h0, h1);
        for (int r0 = from; r0 < to; ) {
            int r1 = CausalAttention.documentEnd(b.position, r0, to);
            int first = r0 - b.position[r0];
            int end = r1 - first;
            for (int t0 = b.position[r0]; t0 < end; t0 += queries) {
                tile.set(first, t0, end, queries);
                // kept weights are written in place, but by a call for some heads only through scratch (the lanes
                // of other heads belong to another thread)
                boolean inPlace = a.attnWeights != null && !tile.partial;
                float[] w = inPlace ? a.attnWeights : s.pairWeights;
                int wi = inPlace ? keptIndex(tile, (t0 - b.position[r0]) / queries) : 0;
                int wStride = inPlace ? keptRowStride : LANES;
                weights(a.q, a.k, tile, s, w, wi, wStride);
                if (a.attnWeights != null && !inPlace) keep(s.pairWeights, a.attnWeights, tile, (t0 - b.position[r0]) / queries);
                sumOverKeys(w, wi, wStride, a.v, tile, a.attended);
            }
            r0 = r1;
        }
    }

    /** {@link CausalAttention#backward} for heads [h0, h1): writes their columns of dL/dq, dL/dk and dL/dv only. */
    void backward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, int h0, int h1, AttentionScratch s) {
        boolean kept = a.attnWeights != null;
        AttentionScratch.Tile tile = s.tile;
        tile.heads(h0, h1);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int r0 = from; r0 < to; ) {
            int r1 = CausalAttention.documentEnd(b.position, r0, to);
            int end = r1 - r0;
            for (int r = r0; r < r1; r++) {   // dL/dk and dL/dv are summed over the tiles, in place
                for (int i = tile.vectorFrom; i < tile.vectorTo; i++) {
                    store(zero, b.gradK, r, i, tile);
                    store(zero, b.gradV, r, i, tile);
                }
            }
            for (int t0 = 0; t0 < end; t0 += queries) {
                tile.set(r0, t0, end, queries);
                float[] w = kept ? a.attnWeights : s.pairWeights;
                int wi = kept ? keptIndex(tile, t0 / queries) : 0;
                int wStride = kept ? keptRowStride : LANES;
                if (!kept) weights(a.q, a.k, tile, s, w, wi, wStride);
                spreadQueries(b.gradAttended, tile, s.gradSpread);
                scoreGradients(w, wi, wStride, a.v, tile, s);
                // s[u, t] = k[u] . q[t]  =>  dL/dq[t] = sum_{u <= t} dL/ds[u, t] k[u]
                sumOverKeys(s.pairGrads, 0, LANES, a.k, tile, b.gradQ);
                // ... and dL/dk[u] += sum_t dL/ds[u, t] q[t]; attended = sum w v  =>  dL/dv[u] += sum_t w[u, t] dL/dattended[t]
                sumOverQueries(s.pairGrads, 0, LANES, a.q, tile, b.gradK);
                sumOverQueries(w, wi, wStride, b.gradAttended, tile, b.gradV);
            }
            r0 = r1;
        }
    }

    /**
     * The tile's weights into w[wi], a pair vector per key 0..lastKey every wStride floats: scores z[u] = k[u] . q[t]
     * per head, then w = e^(scale (z - max)) / sum_u e^(scale (z - max)) down the keys, key u visible to query t
     * when u &lt;= t (the future masked to e^-inf = 0).
     */
    private void weights(Matrix q, Matrix k, AttentionScratch.Tile tile, AttentionScratch s, float[] w, int wi, int wStride) {
        spreadQueries(q, tile, s.queriesSpread);
        scores(k, tile.first, s.queriesSpread, tile.lastKey, w, wi, wStride);
        CausalAttention.softmaxOverKeys(w, wi, wStride, tile.lastKey, laneQuery, tile.t0, scale);
    }

    /** Where tile {@code index}'s pair vector of the document's key 0 sits in the kept weights (a key every {@link #keptRowStride}). */
    private int keptIndex(AttentionScratch.Tile tile, int index) {
        return tile.first * keptRowStride + index * LANES;
    }

    /**
     * Row r of m (from index ri) spread over the pair lanes for head column j: lane (h, q) = m[r, h D + j].
     */
    private FloatVector spread(float[] m, int ri, int j) {
        FloatVector x = FloatVector.fromArray(SPECIES, m, ri).rearrange(pairShuffle[j * rowVectors]);
        if (rowVectors == 1) return x;
        FloatVector vectorOf = FloatVector.fromArray(SPECIES, pairVector, j * LANES);
        for (int i = 1; i < rowVectors; i++) {
            x = x.blend(FloatVector.fromArray(SPECIES, m, ri + i * LANES).rearrange(pairShuffle[j * rowVectors + i]),
                    vectorOf.compare(VectorOperators.EQ, (float) i));
        }
        return x;
    }

    /** spread[j * LANES + lane (h, q)] = m[first + t0 + q, h D + j] for the tile's queries (0 for lanes past its end). */
    private void spreadQueries(Matrix m, AttentionScratch.Tile tile, float[] spread) {
        float[] mv = m.data();
        FloatVector laneQueries = FloatVector.fromArray(SPECIES, laneQuery, 0);
        for (int j = 0; j < headDim; j++) {
            FloatVector x = FloatVector.zero(SPECIES);
            for (int q = 0; q < tile.count; q++) {
                int ri = m.row(tile.first + tile.t0 + q);
                VectorMask<Float> ofQuery = laneQueries.compare(VectorOperators.EQ, (float) q);
                x = x.blend(spread(mv, ri, j), ofQuery);
            }
            x.intoArray(spread, j * LANES);
        }
    }

    /**
     * z[u] = sum_j m[first + u, h D + j] spread[j] per head (one fma chain per key, j ascending) for keys
     * 0..lastKey, into z[zi + u zStride ..]: 4 keys at a time (4 independent chains share each load of the spread
     * tile), then one at a time.
     */
    private void scores(Matrix m, int first, float[] spread, int lastKey, float[] z, int zi, int zStride) {
        float[] mv = m.data();
        int ms = m.stride();
        int u = 0;
        for (; u + 4 <= lastKey + 1; u += 4) {
            FloatVector z0 = FloatVector.zero(SPECIES);
            FloatVector z1 = z0;
            FloatVector z2 = z0;
            FloatVector z3 = z0;
            int ri = m.row(first + u);
            for (int j = 0; j < headDim; j++) {
                FloatVector t = FloatVector.fromArray(SPECIES, spread, j * LANES);
                z0 = t.fma(spread(mv, ri, j), z0);
                z1 = t.fma(spread(mv, ri + ms, j), z1);
                z2 = t.fma(spread(mv, ri + 2 * ms, j), z2);
                z3 = t.fma(spread(mv, ri + 3 * ms, j), z3);
            }
            int o = zi + u * zStride;
            z0.intoArray(z, o);
            z1.intoArray(z, o + zStride);
            z2.intoArray(z, o + 2 * zStride);
            z3.intoArray(z, o + 3 * zStride);
        }
        for (; u <= lastKey; u++) {
            FloatVector z0 = FloatVector.zero(SPECIES);
            int ri = m.row(first + u);
            for (int j = 0; j < headDim; j++) {
                z0 = FloatVector.fromArray(SPECIES, spread, j * LANES).fma(spread(mv, ri, j), z0);
            }
            z0.intoArray(z, zi + u * zStride);
        }
    }

    /** The tile's weights (rows 0..lastKey of LANES) into the kept weights, tile {@code index} of each key's row; only the heads' lanes. */
    private void keep(float[] w, float[] kept, AttentionScratch.Tile tile, int index) {
        VectorMask<Float> lanes = SPECIES.indexInRange(-tile.h0 * queries, (tile.h1 - tile.h0) * queries);
        int ki = keptIndex(tile, index);
        for (int u = 0; u <= tile.lastKey; u++) FloatVector.fromArray(SPECIES, w, u * LANES).intoArray(kept, ki + u * keptRowStride, lanes);
    }

    /**
     * The tile's dL/d(scores) into s.pairGrads: attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dw[u, t] =
     * v_h[u] . dL/dattended_h[t]; then through the softmax, dL/d(q.k)[u, t] = scale w[u, t] (dL/dw[u, t] -
     * sum_u' w dL/dw). The weights from w[wi], a key every wStride floats; dL/dattended spread in s.gradSpread.
     */
    private void scoreGradients(float[] w, int wi, int wStride, Matrix v, AttentionScratch.Tile tile, AttentionScratch s) {
        float[] g = s.pairGrads;
        int lastKey = tile.lastKey;
        // dL/dw[u] = sum_j v[u, h D + j] dL/dattended[t, h D + j], in ascending j
        scores(v, tile.first, s.gradSpread, lastKey, g, 0, LANES);
        FloatVector total = FloatVector.zero(SPECIES);
        for (int u = 0; u <= lastKey; u++) {
            total = FloatVector.fromArray(SPECIES, w, wi + u * wStride).fma(FloatVector.fromArray(SPECIES, g, u * LANES), total);
        }
        for (int u = 0; u <= lastKey; u++) {
            int gi = u * LANES;
            FloatVector.fromArray(SPECIES, g, gi).sub(total).mul(FloatVector.fromArray(SPECIES, w, wi + u * wStride))
                    .mul(scale).intoArray(g, gi);
        }
    }

    /**
     * out[t0 + q] = sum_{u &lt;= t0 + q} p[u]_q x[u] for the tile's queries, p[u]_q being the pair vector of key u
     * (at p[pi + u * pStride]) taken apart for query q; each sum in ascending u. 4 queries at a time (4 chains
     * share each load of x; their keys after their own query weigh exactly 0), then one at a time.
     */
    private void sumOverKeys(float[] p, int pi, int pStride, Matrix x, AttentionScratch.Tile tile, Matrix out) {
        float[] xv = x.data();
        int t0 = tile.t0;
        for (int i = tile.vectorFrom; i < tile.vectorTo; i++) {
            int q = 0;
            for (; q + 4 <= tile.count; q += 4) {
                VectorShuffle<Float> s0 = rowShuffle[q * rowVectors + i];
                VectorShuffle<Float> s1 = rowShuffle[(q + 1) * rowVectors + i];
                VectorShuffle<Float> s2 = rowShuffle[(q + 2) * rowVectors + i];
                VectorShuffle<Float> s3 = rowShuffle[(q + 3) * rowVectors + i];
                FloatVector a0 = FloatVector.zero(SPECIES);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int xi = x.row(tile.first) + i * LANES;
                int li = pi;
                for (int u = 0; u <= t0 + q + 3; u++, xi += x.stride(), li += pStride) {
                    FloatVector xu = FloatVector.fromArray(SPECIES, xv, xi);
                    FloatVector pu = FloatVector.fromArray(SPECIES, p, li);
                    a0 = xu.fma(pu.rearrange(s0), a0);
                    a1 = xu.fma(pu.rearrange(s1), a1);
                    a2 = xu.fma(pu.rearrange(s2), a2);
                    a3 = xu.fma(pu.rearrange(s3), a3);
                }
                int row = tile.first + t0 + q;
                store(a0, out, row, i, tile);
                store(a1, out, row + 1, i, tile);
                store(a2, out, row + 2, i, tile);
                store(a3, out, row + 3, i, tile);
            }
            for (; q < tile.count; q++) {
                VectorShuffle<Float> s0 = rowShuffle[q * rowVectors + i];
                FloatVector a0 = FloatVector.zero(SPECIES);
                int xi = x.row(tile.first) + i * LANES;
                int li = pi;
                for (int u = 0; u <= t0 + q; u++, xi += x.stride(), li += pStride) {
                    a0 = FloatVector.fromArray(SPECIES, xv, xi).fma(FloatVector.fromArray(SPECIES, p, li).rearrange(s0), a0);
                }
                store(a0, out, tile.first + t0 + q, i, tile);
            }
        }
    }

    /**
     * out[u] += sum_q p[u]_q x[t0 + q] for the tile's keys u = 0..lastKey, over its queries q in ascending order
     * (the queries before a key weigh exactly 0), p[u]_q as in {@link #sumOverKeys}: 4 keys at a time (4 chains share
     * each load of x[t0 + q]), then one at a time.
     */
    private void sumOverQueries(float[] p, int pi, int pStride, Matrix x, AttentionScratch.Tile tile, Matrix out) {
        float[] xv = x.data();
        float[] ov = out.data();
        int os = out.stride();
        int lastKey = tile.lastKey;
        int count = tile.count;
        for (int i = tile.vectorFrom; i < tile.vectorTo; i++) {
            int c = i * LANES;
            int x0 = x.row(tile.first + tile.t0) + c;
            int u = 0;
            for (; u + 4 <= lastKey + 1; u += 4) {
                int oi = out.row(tile.first + u) + c;
                FloatVector o0 = FloatVector.fromArray(SPECIES, ov, oi);
                FloatVector o1 = FloatVector.fromArray(SPECIES, ov, oi + os);
                FloatVector o2 = FloatVector.fromArray(SPECIES, ov, oi + 2 * os);
                FloatVector o3 = FloatVector.fromArray(SPECIES, ov, oi + 3 * os);
                int li = pi + u * pStride;
                FloatVector p0 = FloatVector.fromArray(SPECIES, p, li);
                FloatVector p1 = FloatVector.fromArray(SPECIES, p, li + pStride);
                FloatVector p2 = FloatVector.fromArray(SPECIES, p, li + 2 * pStride);
                FloatVector p3 = FloatVector.fromArray(SPECIES, p, li + 3 * pStride);
                int xi = x0;
                for (int q = 0; q < count; q++, xi += x.stride()) {
                    VectorShuffle<Float> sq = rowShuffle[q * rowVectors + i];
                    FloatVector xq = FloatVector.fromArray(SPECIES, xv, xi);
                    o0 = xq.fma(p0.rearrange(sq), o0);
                    o1 = xq.fma(p1.rearrange(sq), o1);
                    o2 = xq.fma(p2.rearrange(sq), o2);
                    o3 = xq.fma(p3.rearrange(sq), o3);
                }
                store(o0, out, tile.first + u, i, tile);
                store(o1, out, tile.first + u + 1, i, tile);
                store(o2, out, tile.first + u + 2, i, tile);
                store(o3, out, tile.first + u + 3, i, tile);
            }
            for (; u <= lastKey; u++) {
                FloatVector o0 = FloatVector.fromArray(SPECIES, ov, out.row(tile.first + u) + c);
                FloatVector p0 = FloatVector.fromArray(SPECIES, p, pi + u * pStride);
                int xi = x0;
                for (int q = 0; q < count; q++, xi += x.stride()) {
                    o0 = FloatVector.fromArray(SPECIES, xv, xi).fma(p0.rearrange(rowShuffle[q * rowVectors + i]), o0);
                }
                store(o0, out, tile.first + u, i, tile);
            }
        }
    }

    /** Vector i of row r of out = v, within the columns of the tile's heads. */
    private static void store(FloatVector v, Matrix out, int r, int i, AttentionScratch.Tile tile) {
        if (tile.partial) v.intoArray(out.data(), out.row(r) + i * LANES, tile.columns(i));
        else v.intoArray(out.data(), out.row(r) + i * LANES);
    }
}
