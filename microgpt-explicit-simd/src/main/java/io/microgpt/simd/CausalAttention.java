package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;

/**
 * Multi-head causal self-attention inside each document: the query at position t attends to the keys and
 * values of positions u = 0..t of the same document.
 *
 * <p>It works on one document at a time and, within it, on tiles of {@link VectorKernels#LANES} queries. A
 * tile's scores are kept transposed — a row per key, a lane per query — so that the softmax over the keys is
 * a column operation (maxima and sums down the rows, lane-parallel, no reduction across lanes), and a tile
 * only looks at the keys up to its last query: the tiles above the causal diagonal are never computed. Keys,
 * values and the incoming gradient are read in place from their rows; only the queries (and, backward, the
 * gradient of the attended values) are transposed, once per document.
 *
 * <p>The products that sum over keys or queries (attended values, dL/dq, dL/dk, dL/dv) run along the
 * n_embd columns of a row, all heads side by side: a lane takes its weight from its own head's scores, by a
 * broadcast when a vector's columns all belong to one head and by a gather when a vector spans heads. When every
 * vector lies within one head, the heads are done one pass at a time (a pass: {@link #headsPerPass} heads), so a
 * tile's scratch holds one head. Heads narrower than a vector whose count divides the lanes (head_dim 4 at n_embd
 * 16) go to {@link NarrowHeadAttention} instead, which gives the same bits without gathers (a gather of 16 lanes
 * costs ~25 cycles).
 *
 * <p>The loops are register-blocked where a head's columns fill whole vectors: scores and their gradients 8 keys at
 * a time (8 independent fma chains share each load of the tile's queries or incoming gradient), the attended sums 4
 * queries x 2 vectors, the key and value gradients 4 keys at a time for the keys before a tile. A chain with
 * one accumulator waits 4 cycles per fused multiply-add; these measured 1.45x faster at head_dim 64, block 256
 * ({@code AttentionTimer}). The softmax is a method of its own: inlined into the scores' loops it made a
 * compilation too large for C2's node budget, which then left the exponential out of line, boxing its vectors.
 *
 * <p>Every value is the same chain of operations, in the same order, as the plain per-head products it
 * replaces: terms skipped above the diagonal are exact zeros there, so leaving them out keeps the bits.
 * Forward keeps the weights for backward when they fit (see {@link BatchBuffers#KEPT_WEIGHTS_LIMIT});
 * otherwise backward recomputes each tile's weights from q and k by the same operations in the same order.
 *
 * <p>Stateless but for the shape: threads share one instance, each with its own scratch and its own rows.
 */
final class CausalAttention {
    private final int heads;
    private final int headDim;
    private final int nEmbd;
    private final float scale;
    /** Heads done together (all of them, or one when no vector of columns spans two heads). */
    private final int headsPerPass;
    /** Floats per head in a kept weights row: padded(block), a lane per query of the document. */
    private final int keptHeadStride;
    /** Floats per key row of the kept weights: heads x {@link #keptHeadStride}. */
    private final int keptRowStride;
    /** Per column c: (head of c - first head of its pass) x lanes per head, in a kept row and in a scratch tile row (gather maps; padding columns: 0). */
    private final int[] keptHeadOffset;
    private final int[] tileHeadOffset;
    /** Per vector of columns: the one head its real columns belong to, or -1 when it spans heads. */
    private final int[] vectorHead;
    /** The tiles for heads narrower than a vector, when they apply ({@link NarrowHeadAttention#applies}); else null. */
    private final NarrowHeadAttention narrow;

    CausalAttention(ModelConfig config) {
        this(config, true);
    }

    /** @param narrowHeads whether heads narrower than a vector use {@link NarrowHeadAttention} where it applies (tests compare both) */
    CausalAttention(ModelConfig config, boolean narrowHeads) {
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.nEmbd = config.nEmbd();
        this.scale = (float) (1 / Math.sqrt(headDim));
        this.headsPerPass = headsPerPass(config);
        this.keptHeadStride = VectorKernels.padded(config.blockSize());
        this.keptRowStride = heads * keptHeadStride;
        int width = VectorKernels.padded(nEmbd);
        int vectors = width / LANES;
        this.keptHeadOffset = new int[width];
        this.tileHeadOffset = new int[width];
        for (int c = 0; c < nEmbd; c++) {
            int passHead = c / headDim % headsPerPass;
            keptHeadOffset[c] = passHead * keptHeadStride;
            tileHeadOffset[c] = passHead * LANES;
        }
        this.vectorHead = new int[vectors];
        for (int i = 0; i < vectors; i++) {
            int firstHead = i * LANES / headDim;
            int lastHead = Math.min(nEmbd - 1, i * LANES + LANES - 1) / headDim;
            vectorHead[i] = firstHead == lastHead ? firstHead : -1;
        }
        this.narrow = narrowHeads && NarrowHeadAttention.applies(config) ? new NarrowHeadAttention(config) : null;
    }

    /**
     * Heads one pass does: 1 when every vector of columns lies within one head (head_dim a whole number of
     * vectors), else all of them (their columns share vectors).
     */
    static int headsPerPass(ModelConfig config) {
        return config.headDim() % LANES == 0 ? 1 : config.nHead();
    }

    /** The end of the run of rows from {@code r} that belong to the same document, within [r, to). */
    static int documentEnd(int[] position, int r, int to) {
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

    /**
     * {@link #forward} for heads [h0, h1) only (threads split a layer's attention by document and head): writes
     * those heads' columns of the attended values and nothing else, the same bits as a call for all heads.
     */
    void forward(BatchBuffers b, BatchBuffers.LayerActivations a, int from, int to, int h0, int h1, AttentionScratch s) {
        if (narrow != null) {
            narrow.forward(b, a, from, to, h0, h1, s);
            return;
        }
        boolean keep = a.attnWeights != null;
        AttentionScratch.Tile tile = s.tile;
        tile.heads(h0, h1);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(b.position, r0, to);
            int first = r0 - b.position[r0];
            int p0 = r0 - first;
            int end = r1 - first;
            transpose(a.q, r0, r1, h0, h1, s.queriesT);
            for (int pass = h0 / headsPerPass; pass * headsPerPass < h1; pass++) {
                tile.pass(pass, headsPerPass);
                for (int t0 = p0; t0 < end; t0 += LANES) {
                    tile.set(first, t0, end, LANES);
                    tile.lane = t0 - p0;
                    if (keep) tile.weights(a.attnWeights, first * keptRowStride + tile.passStart * keptHeadStride + tile.lane, true);
                    else tile.weights(s.weights, 0, false);
                    attentionWeights(a.k, s.queriesT, tile);
                    sumsOverKeys(tile.w, tile.wi, keep, a.v, tile, a.attended);
                }
            }
            r0 = r1;
        }
    }

    /**
     * The weights of the tile's heads (those of the call in the pass in hand) for its queries, from position t0 on
     * (a lane each), against the keys 0..lastKey of the document (a row each): w[u, t] = softmax over u of
     * scale * (k_h[u] . q_h[t]), key u visible to query t when u &lt;= t. The queries are read transposed from qT's
     * lanes from the tile's lane on; the weights go where the tile says, a row per key, heads side by side (as
     * {@link #rowStride} and {@link #headStride} say for kept weights or a scratch tile).
     */
    private void attentionWeights(Matrix k, Matrix qT, AttentionScratch.Tile tile) {
        int rowStride = rowStride(tile.kept);
        for (int h = tile.hFrom; h < tile.hTo; h++) {
            int hw = tile.wi + (h - tile.passStart) * headStride(tile.kept);
            int hc = h * headDim;
            // z[u, t] = k_h[u] . q_h[t]: a fused multiply-add per head column, in column order
            dotsWithTile(k, tile.first, tile.lastKey + 1, hc, qT, tile.lane, tile.w, hw, rowStride);
            softmaxOverKeys(tile.w, hw, rowStride, tile.lastKey, LANE_POSITION, tile.t0, scale);
        }
    }

    /** 0, 1, ..., LANES - 1: a tile's lanes' query positions from its first. */
    private static final float[] LANE_POSITION = new float[LANES];

    static {
        for (int i = 0; i < LANES; i++) LANE_POSITION[i] = i;
    }

    /**
     * Scores z (from w[wi], a row of lanes per key u = 0..lastKey) into softmax weights in place, lane by lane:
     * w = e^(scale (z - max)) / sum_u e^(scale (z - max)), where a lane's query sits at position
     * {@code lanePosition[lane] + offset} and sees the keys u up to it (the future masked to e^-inf = 0). A method of
     * its own so that each compiles small (a method too large for the JIT's node budget stops inlining the
     * exponential, whose vectors are then boxed). Masks compare with a float: given an int, Java picks
     * {@code compare(op, long)}, which JDK 17 compiles to a slow path (~60 cycles a call, measured).
     */
    static void softmaxOverKeys(float[] w, int wi, int rowStride, int lastKey, float[] lanePosition, float offset, float scale) {
        FloatVector lastVisible = FloatVector.fromArray(SPECIES, lanePosition, 0).add(offset);   // the last key each lane sees
        // the maximum of the even keys' and of the odd keys' (max is exact: any grouping gives the same value), two
        // chains instead of one
        FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector maxOdd = max;
        int u = 0;
        for (; u + 1 <= lastKey; u += 2) {
            int i = wi + u * rowStride;
            max = max.max(FloatVector.fromArray(SPECIES, w, i).blend(Float.NEGATIVE_INFINITY, lastVisible.compare(VectorOperators.LT, (float) u)));
            maxOdd = maxOdd.max(FloatVector.fromArray(SPECIES, w, i + rowStride)
                    .blend(Float.NEGATIVE_INFINITY, lastVisible.compare(VectorOperators.LT, (float) (u + 1))));
        }
        if (u == lastKey) {
            max = max.max(FloatVector.fromArray(SPECIES, w, wi + u * rowStride).blend(Float.NEGATIVE_INFINITY, lastVisible.compare(VectorOperators.LT, (float) u)));
        }
        max = max.max(maxOdd);
        FloatVector sum = FloatVector.zero(SPECIES);
        for (u = 0; u <= lastKey; u++) {
            int i = wi + u * rowStride;
            FloatVector z = FloatVector.fromArray(SPECIES, w, i)
                    .blend(Float.NEGATIVE_INFINITY, lastVisible.compare(VectorOperators.LT, (float) u));
            FloatVector e = VectorKernels.expNonPositive(z.sub(max).mul(scale));
            e.intoArray(w, i);
            sum = sum.add(e);
        }
        FloatVector inverse = FloatVector.broadcast(SPECIES, 1f).div(sum);
        for (u = 0; u <= lastKey; u++) {
            int i = wi + u * rowStride;
            FloatVector.fromArray(SPECIES, w, i).mul(inverse).intoArray(w, i);
        }
    }

    /**
     * attended[t] = sum_{u &lt;= t} w[u, t] v[u] for the tile's queries t, its weights from w[wi] (kept or in a
     * scratch tile), over the vectors of columns of the tile's heads, each sum in ascending u. Backward uses it for
     * dL/dq[t] = sum_{u &lt;= t} dL/ds[u, t] k[u] too (the score gradients in a scratch tile as w, k as v, dL/dq as
     * attended).
     */
    private void sumsOverKeys(float[] w, int wi, boolean kept, Matrix v, AttentionScratch.Tile tile, Matrix attended) {
        float[] vv = v.data();
        float[] out = attended.data();
        int rowStride = rowStride(kept);
        int headStride = headStride(kept);
        int[] offsets = kept ? keptHeadOffset : tileHeadOffset;
        int first = tile.first;
        int t0 = tile.t0;
        int tEnd = t0 + tile.count;
        int hFrom = tile.hFrom;
        int hTo = tile.hTo;
        int h0 = tile.passStart;
        int t = t0;
        // one head per pass (vectors within a head): 4 queries at a time, 4 independent sums sharing each value
        // load (8 sharing each weight broadcast where the head has 2 vectors left), each over u <= t + 3: the weights of the keys after its own query are exact zeros, which leave a
        // sum's bits as they are (with heads gathered, measured faster one query at a time: 40-48 vs 42-57 us
        // per document batch at n_embd 16)
        for (; headsPerPass == 1 && t + 4 <= tEnd; t += 4) {
            int lane = wi + t - t0;
            int vec = vectorFrom(hFrom);
            for (; vec + 2 <= vectorTo(hTo); vec += 2) {   // two vectors of the head: 8 sums share each weight broadcast
                int c = vec * LANES;
                int head = vectorHead[vec];
                int vi = v.row(first) + c;
                FloatVector a00 = FloatVector.zero(SPECIES);
                FloatVector a01 = a00;
                FloatVector a10 = a00;
                FloatVector a11 = a00;
                FloatVector a20 = a00;
                FloatVector a21 = a00;
                FloatVector a30 = a00;
                FloatVector a31 = a00;
                int li = lane + (head - h0) * headStride;
                for (int u = 0; u <= t + 3; u++, vi += v.stride(), li += rowStride) {
                    FloatVector x0 = FloatVector.fromArray(SPECIES, vv, vi);
                    FloatVector x1 = FloatVector.fromArray(SPECIES, vv, vi + LANES);
                    FloatVector g = FloatVector.broadcast(SPECIES, w[li]);
                    a00 = x0.fma(g, a00);
                    a01 = x1.fma(g, a01);
                    g = FloatVector.broadcast(SPECIES, w[li + 1]);
                    a10 = x0.fma(g, a10);
                    a11 = x1.fma(g, a11);
                    g = FloatVector.broadcast(SPECIES, w[li + 2]);
                    a20 = x0.fma(g, a20);
                    a21 = x1.fma(g, a21);
                    g = FloatVector.broadcast(SPECIES, w[li + 3]);
                    a30 = x0.fma(g, a30);
                    a31 = x1.fma(g, a31);
                }
                int oi = attended.row(first + t) + c;
                int os = attended.stride();
                a00.intoArray(out, oi);
                a01.intoArray(out, oi + LANES);
                a10.intoArray(out, oi + os);
                a11.intoArray(out, oi + os + LANES);
                a20.intoArray(out, oi + 2 * os);
                a21.intoArray(out, oi + 2 * os + LANES);
                a30.intoArray(out, oi + 3 * os);
                a31.intoArray(out, oi + 3 * os + LANES);
            }
            for (; vec < vectorTo(hTo); vec++) {
                int c = vec * LANES;
                int head = vectorHead[vec];
                int vi = v.row(first) + c;
                FloatVector a0 = FloatVector.zero(SPECIES);
                FloatVector a1 = a0;
                FloatVector a2 = a0;
                FloatVector a3 = a0;
                int li = lane + (head - h0) * headStride;
                for (int u = 0; u <= t + 3; u++, vi += v.stride(), li += rowStride) {
                    FloatVector x = FloatVector.fromArray(SPECIES, vv, vi);
                    a0 = x.fma(FloatVector.broadcast(SPECIES, w[li]), a0);
                    a1 = x.fma(FloatVector.broadcast(SPECIES, w[li + 1]), a1);
                    a2 = x.fma(FloatVector.broadcast(SPECIES, w[li + 2]), a2);
                    a3 = x.fma(FloatVector.broadcast(SPECIES, w[li + 3]), a3);
                }
                int oi = attended.row(first + t) + c;
                a0.intoArray(out, oi);
                a1.intoArray(out, oi + attended.stride());
                a2.intoArray(out, oi + 2 * attended.stride());
                a3.intoArray(out, oi + 3 * attended.stride());
            }
        }
        for (; t < tEnd; t++) {
            int lane = wi + t - t0;
            for (int vec = vectorFrom(hFrom); vec < vectorTo(hTo); vec++) {
                int c = vec * LANES;
                int head = vectorHead[vec];
                int vi = v.row(first) + c;
                FloatVector acc = FloatVector.zero(SPECIES);
                if (head >= 0) {
                    int li = lane + (head - h0) * headStride;
                    for (int u = 0; u <= t; u++, vi += v.stride(), li += rowStride) {
                        acc = FloatVector.fromArray(SPECIES, vv, vi).fma(FloatVector.broadcast(SPECIES, w[li]), acc);
                    }
                } else {
                    int li = lane;
                    for (int u = 0; u <= t; u++, vi += v.stride(), li += rowStride) {
                        acc = FloatVector.fromArray(SPECIES, vv, vi).fma(FloatVector.fromArray(SPECIES, w, li, offsets, c), acc);
                    }
                }
                if (partial(hFrom, hTo)) acc.intoArray(out, attended.row(first + t) + c, columns(c, hFrom, hTo));
                else acc.intoArray(out, attended.row(first + t) + c);
            }
        }
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
        if (narrow != null) {
            narrow.backward(b, a, from, to, h0, h1, s);
            return;
        }
        boolean keep = a.attnWeights != null;
        AttentionScratch.Tile tile = s.tile;
        tile.heads(h0, h1);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int r0 = from; r0 < to; ) {
            int r1 = documentEnd(b.position, r0, to);
            int n = r1 - r0;
            for (int r = r0; r < r1; r++) {   // dL/dk and dL/dv are summed over the tiles, in place
                for (int vec = vectorFrom(h0); vec < vectorTo(h1); vec++) {
                    int c = vec * LANES;
                    if (partial(h0, h1)) {
                        zero.intoArray(b.gradK.data(), b.gradK.row(r) + c, columns(c, h0, h1));
                        zero.intoArray(b.gradV.data(), b.gradV.row(r) + c, columns(c, h0, h1));
                    } else {
                        zero.intoArray(b.gradK.data(), b.gradK.row(r) + c);
                        zero.intoArray(b.gradV.data(), b.gradV.row(r) + c);
                    }
                }
            }
            if (!keep) transpose(a.q, r0, r1, h0, h1, s.queriesT);
            transpose(b.gradAttended, r0, r1, h0, h1, s.gradAttendedT);
            for (int pass = h0 / headsPerPass; pass * headsPerPass < h1; pass++) {
                tile.pass(pass, headsPerPass);
                for (int t0 = 0; t0 < n; t0 += LANES) {
                    tile.set(r0, t0, n, LANES);
                    tile.lane = t0;
                    if (keep) {
                        tile.weights(a.attnWeights, r0 * keptRowStride + tile.passStart * keptHeadStride + t0, true);
                    } else {
                        tile.weights(s.weights, 0, false);
                        attentionWeights(a.k, s.queriesT, tile);
                    }
                    scoreGradients(a.v, s.gradAttendedT, s.gradScores, tile);
                    // s[u, t] = k[u] . q[t]  =>  dL/dq[t] = sum_{u <= t} dL/ds[u, t] k[u]
                    sumsOverKeys(s.gradScores, 0, false, a.k, tile, b.gradQ);
                    // ... and dL/dk[u] += sum_t dL/ds[u, t] q[t]; attended = sum w v  =>  dL/dv[u] += sum_t w[u, t] dL/dattended[t]
                    keyValueGradients(s.gradScores, a.q, b.gradAttended, tile, b.gradK, b.gradV);
                }
            }
            r0 = r1;
        }
    }

    /**
     * out[o + u * outStride ..] = rows[first + u, col .. col + headDim) . tileT[col .., lane .. lane + LANES), a vector
     * of the tile's queries for each of {@code count} rows: per row one fma chain over the head's columns in
     * ascending order. 8 rows at a time (8 independent sums share each load of the tile's row), then one at a time.
     */
    private void dotsWithTile(Matrix rows, int first, int count, int col, Matrix tileT, int lane, float[] out, int o,
                              int outStride) {
        float[] rv = rows.data();
        float[] tv = tileT.data();
        int rs = rows.stride();
        int u = 0;
        for (; u + 8 <= count; u += 8) {
            int r0 = rows.row(first + u) + col;
            int ti = tileT.row(col) + lane;
            FloatVector z0 = FloatVector.zero(SPECIES);
            FloatVector z1 = z0;
            FloatVector z2 = z0;
            FloatVector z3 = z0;
            FloatVector z4 = z0;
            FloatVector z5 = z0;
            FloatVector z6 = z0;
            FloatVector z7 = z0;
            for (int j = 0; j < headDim; j++, ti += tileT.stride()) {
                FloatVector t = FloatVector.fromArray(SPECIES, tv, ti);
                int rj = r0 + j;
                z0 = t.fma(FloatVector.broadcast(SPECIES, rv[rj]), z0);
                z1 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + rs]), z1);
                z2 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 2 * rs]), z2);
                z3 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 3 * rs]), z3);
                z4 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 4 * rs]), z4);
                z5 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 5 * rs]), z5);
                z6 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 6 * rs]), z6);
                z7 = t.fma(FloatVector.broadcast(SPECIES, rv[rj + 7 * rs]), z7);
            }
            int ou = o + u * outStride;
            z0.intoArray(out, ou);
            z1.intoArray(out, ou + outStride);
            z2.intoArray(out, ou + 2 * outStride);
            z3.intoArray(out, ou + 3 * outStride);
            z4.intoArray(out, ou + 4 * outStride);
            z5.intoArray(out, ou + 5 * outStride);
            z6.intoArray(out, ou + 6 * outStride);
            z7.intoArray(out, ou + 7 * outStride);
        }
        for (; u < count; u++) {
            int ri = rows.row(first + u) + col;
            int ti = tileT.row(col) + lane;
            FloatVector z = FloatVector.zero(SPECIES);
            for (int j = 0; j < headDim; j++, ti += tileT.stride()) {
                z = FloatVector.fromArray(SPECIES, tv, ti).fma(FloatVector.broadcast(SPECIES, rv[ri + j]), z);
            }
            z.intoArray(out, o + u * outStride);
        }
    }

    /**
     * The tile's dL/d(scores), into the scratch tile g (a row per key, a lane per query from t0, heads side by
     * side): attended_h[t] = sum_u w[u, t] v_h[u]  =>  dL/dw[u, t] = v_h[u] . dL/dattended_h[t]; then through
     * the softmax, w = softmax(z), z = scale q.k  =>  dL/d(q.k)[u, t] = scale w[u, t] (dL/dw[u, t] - sum_u' w dL/dw).
     * The weights are where the tile says; dL/dattended is read transposed from the tile's lane on.
     */
    private void scoreGradients(Matrix v, Matrix gradAttendedT, float[] g, AttentionScratch.Tile tile) {
        float[] w = tile.w;
        int wi = tile.wi;
        int first = tile.first;
        int lastKey = tile.lastKey;
        int h0 = tile.passStart;
        int wRow = rowStride(tile.kept);
        int gRow = rowStride(false);
        for (int h = tile.hFrom; h < tile.hTo; h++) {
            int hw = wi + (h - h0) * headStride(tile.kept);
            int hg = (h - h0) * LANES;
            int hc = h * headDim;
            // dL/dw[u, t] = v_h[u] . dL/dattended_h[t], then their total weighted by w in ascending u
            dotsWithTile(v, first, lastKey + 1, hc, gradAttendedT, tile.lane, g, hg, gRow);
            FloatVector total = FloatVector.zero(SPECIES);
            for (int u = 0; u <= lastKey; u++) {
                total = FloatVector.fromArray(SPECIES, w, hw + u * wRow).fma(FloatVector.fromArray(SPECIES, g, hg + u * gRow), total);
            }
            for (int u = 0; u <= lastKey; u++) {
                int gi = hg + u * gRow;
                FloatVector.fromArray(SPECIES, g, gi).sub(total).mul(FloatVector.fromArray(SPECIES, w, hw + u * wRow))
                        .mul(scale).intoArray(g, gi);
            }
        }
    }

    /**
     * dL/dk[u] += sum_t g[u, t] q[t] and dL/dv[u] += sum_t w[u, t] dL/dattended[t] over the tile's queries
     * t in [max(u, t0), t0 + count), for its keys u = 0..lastKey: tile after tile, each sum runs in ascending t.
     * The weights are where the tile says; g is a scratch tile.
     */
    private void keyValueGradients(float[] g, Matrix q, Matrix gradAttended, AttentionScratch.Tile tile, Matrix gradK, Matrix gradV) {
        float[] qv = q.data();
        float[] av = gradAttended.data();
        float[] dk = gradK.data();
        float[] dv = gradV.data();
        float[] w = tile.w;
        int wi = tile.wi;
        int first = tile.first;
        int t0 = tile.t0;
        int lastKey = tile.lastKey;
        int tEnd = t0 + tile.count;
        int hFrom = tile.hFrom;
        int hTo = tile.hTo;
        int wRow = rowStride(tile.kept);
        int wHead = headStride(tile.kept);
        int gRow = rowStride(false);
        int[] wOffsets = tile.kept ? keptHeadOffset : tileHeadOffset;
        int h0 = tile.passStart;
        int u = 0;
        // one head per pass (vectors within a head): the keys before the tile's first query, 4 at a time (8
        // independent sums sharing each load of q and dL/dattended); each sum still runs over t ascending
        for (; headsPerPass == 1 && u + 3 <= Math.min(t0, lastKey); u += 4) {
            fourKeyValueGradients(g, q, gradAttended, tile, u, gradK, gradV);
        }
        for (; u <= lastKey; u++) {
            int tFrom = Math.max(u, t0);
            for (int vec = vectorFrom(hFrom); vec < vectorTo(hTo); vec++) {
                int c = vec * LANES;
                int head = vectorHead[vec];
                int ki = gradK.row(first + u) + c;
                int vi = gradV.row(first + u) + c;
                FloatVector sk = FloatVector.fromArray(SPECIES, dk, ki);
                FloatVector sv = FloatVector.fromArray(SPECIES, dv, vi);
                int qi = q.row(first + tFrom) + c;
                int ai = gradAttended.row(first + tFrom) + c;
                int gi = u * gRow + tFrom - t0;
                int li = wi + u * wRow + tFrom - t0;
                if (head >= 0) {
                    gi += (head - h0) * LANES;
                    li += (head - h0) * wHead;
                    for (int t = tFrom; t < tEnd; t++, qi += q.stride(), ai += gradAttended.stride(), gi++, li++) {
                        sk = FloatVector.fromArray(SPECIES, qv, qi).fma(FloatVector.broadcast(SPECIES, g[gi]), sk);
                        sv = FloatVector.fromArray(SPECIES, av, ai).fma(FloatVector.broadcast(SPECIES, w[li]), sv);
                    }
                } else {
                    for (int t = tFrom; t < tEnd; t++, qi += q.stride(), ai += gradAttended.stride(), gi++, li++) {
                        sk = FloatVector.fromArray(SPECIES, qv, qi).fma(FloatVector.fromArray(SPECIES, g, gi, tileHeadOffset, c), sk);
                        sv = FloatVector.fromArray(SPECIES, av, ai).fma(FloatVector.fromArray(SPECIES, w, li, wOffsets, c), sv);
                    }
                }
                if (partial(hFrom, hTo)) {
                    sk.intoArray(dk, ki, columns(c, hFrom, hTo));
                    sv.intoArray(dv, vi, columns(c, hFrom, hTo));
                } else {
                    sk.intoArray(dk, ki);
                    sv.intoArray(dv, vi);
                }
            }
        }
    }

    /**
     * {@link #keyValueGradients} for the keys u..u+3 of a tile of one head (a pass), all before the tile's first query
     * t0 (so each sums over every query of the tile): dL/dk[u'] += sum_t g[u', t] q[t],
     * dL/dv[u'] += sum_t w[u', t] dL/dattended[t].
     */
    private void fourKeyValueGradients(float[] g, Matrix q, Matrix gradAttended, AttentionScratch.Tile tile, int u, Matrix gradK,
                                       Matrix gradV) {
        float[] w = tile.w;
        int wRow = rowStride(tile.kept);
        int wh = tile.wi + (tile.hFrom - tile.passStart) * headStride(tile.kept);
        int gRow = rowStride(false);
        int gh = (tile.hFrom - tile.passStart) * LANES;
        int first = tile.first;
        int t0 = tile.t0;
        int tEnd = t0 + tile.count;
        int vec0 = vectorFrom(tile.hFrom);
        int vec1 = vectorTo(tile.hTo);
        float[] qv = q.data();
        float[] av = gradAttended.data();
        float[] dk = gradK.data();
        float[] dv = gradV.data();
        int ks = gradK.stride();
        int vs = gradV.stride();
        for (int vec = vec0; vec < vec1; vec++) {
            int c = vec * LANES;
            int ki = gradK.row(first + u) + c;
            int vi = gradV.row(first + u) + c;
            FloatVector k0 = FloatVector.fromArray(SPECIES, dk, ki);
            FloatVector k1 = FloatVector.fromArray(SPECIES, dk, ki + ks);
            FloatVector k2 = FloatVector.fromArray(SPECIES, dk, ki + 2 * ks);
            FloatVector k3 = FloatVector.fromArray(SPECIES, dk, ki + 3 * ks);
            FloatVector v0 = FloatVector.fromArray(SPECIES, dv, vi);
            FloatVector v1 = FloatVector.fromArray(SPECIES, dv, vi + vs);
            FloatVector v2 = FloatVector.fromArray(SPECIES, dv, vi + 2 * vs);
            FloatVector v3 = FloatVector.fromArray(SPECIES, dv, vi + 3 * vs);
            int qi = q.row(first + t0) + c;
            int ai = gradAttended.row(first + t0) + c;
            int gi = gh + u * gRow;
            int li = wh + u * wRow;
            for (int t = t0; t < tEnd; t++, qi += q.stride(), ai += gradAttended.stride(), gi++, li++) {
                FloatVector qt = FloatVector.fromArray(SPECIES, qv, qi);
                FloatVector at = FloatVector.fromArray(SPECIES, av, ai);
                k0 = qt.fma(FloatVector.broadcast(SPECIES, g[gi]), k0);
                k1 = qt.fma(FloatVector.broadcast(SPECIES, g[gi + gRow]), k1);
                k2 = qt.fma(FloatVector.broadcast(SPECIES, g[gi + 2 * gRow]), k2);
                k3 = qt.fma(FloatVector.broadcast(SPECIES, g[gi + 3 * gRow]), k3);
                v0 = at.fma(FloatVector.broadcast(SPECIES, w[li]), v0);
                v1 = at.fma(FloatVector.broadcast(SPECIES, w[li + wRow]), v1);
                v2 = at.fma(FloatVector.broadcast(SPECIES, w[li + 2 * wRow]), v2);
                v3 = at.fma(FloatVector.broadcast(SPECIES, w[li + 3 * wRow]), v3);
            }
            k0.intoArray(dk, ki);
            k1.intoArray(dk, ki + ks);
            k2.intoArray(dk, ki + 2 * ks);
            k3.intoArray(dk, ki + 3 * ks);
            v0.intoArray(dv, vi);
            v1.intoArray(dv, vi + vs);
            v2.intoArray(dv, vi + 2 * vs);
            v3.intoArray(dv, vi + 3 * vs);
        }
    }

    /** Floats between key rows: a kept row holds every head's lanes of the document, a scratch tile row one pass's vectors. */
    private int rowStride(boolean kept) {
        return kept ? keptRowStride : headsPerPass * LANES;
    }

    /** Floats between heads within a key row. */
    private int headStride(boolean kept) {
        return kept ? keptHeadStride : LANES;
    }

    /** to[c, i - r0] = from[i, c] for rows i in [r0, r1) and the columns of heads [h0, h1). */
    private void transpose(Matrix from, int r0, int r1, int h0, int h1, Matrix to) {
        int c0 = h0 * headDim;
        if (BlockTranspose.WORKS) {
            BlockTranspose.transpose(from.data(), from.row(r0) + c0, from.stride(), r1 - r0, (h1 - h0) * headDim, to.data(), to.row(c0),
                    to.stride());
            return;
        }
        float[] f = from.data();
        float[] t = to.data();
        for (int i = r0; i < r1; i++) {
            int fi = from.row(i);
            int ti = to.row(c0) + i - r0;
            for (int c = c0; c < h1 * headDim; c++, ti += to.stride()) t[ti] = f[fi + c];
        }
    }

    /** The first vector of columns holding a column of head h. */
    private int vectorFrom(int h) {
        return h * headDim / LANES;
    }

    /** The end of the vectors of columns holding a column of a head before h. */
    private int vectorTo(int h) {
        return (h * headDim + LANES - 1) / LANES;
    }

    /** Whether heads [hFrom, hTo) share vectors with heads outside: their stores then keep to their own lanes. */
    private boolean partial(int hFrom, int hTo) {
        return headsPerPass > 1 && hTo - hFrom < heads;
    }

    /** The lanes of the vector from column c that hold columns of heads [hFrom, hTo). */
    private VectorMask<Float> columns(int c, int hFrom, int hTo) {
        return SPECIES.indexInRange(c - hFrom * headDim, (hTo - hFrom) * headDim);
    }
}
