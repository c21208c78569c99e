package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.VectorMask;

/**
 * What {@link CausalAttention} needs while it works on one document: its queries and the incoming gradient
 * transposed (once per document, all heads: a row per column, a lane per position), and one tile's weights and
 * their gradient (a row per key, {@link VectorKernels#LANES} query lanes per head of a pass). Keys, values and
 * the gradient's rows are read in place. Sized for one block, whatever the batch:
 * O(block x (n_embd + heads x lanes)) floats, never block^2. For heads narrower than a vector
 * ({@link NarrowHeadAttention}) instead: one tile's weights and their gradient (a pair vector per key), the tile's
 * queries and incoming gradient spread over the pair lanes, and the {@link Tile} being worked on. One per thread
 * (shard), reused for every document and tile.
 */
final class AttentionScratch {
    /** The document's queries and dL/d(attended), transposed: [n_embd x positions] (empty for narrow heads). */
    final Matrix queriesT;
    final Matrix gradAttendedT;
    /** One tile's attention weights (when backward recomputes them, or inference): [keys x (heads of a pass x LANES)]. */
    final float[] weights;
    /** dL/d(scores) of one tile, laid out as {@link #weights}. */
    final float[] gradScores;
    /** Narrow heads: one tile's weights and their gradient, [keys x LANES] (else empty). */
    final float[] pairWeights;
    final float[] pairGrads;
    /** Narrow heads: the tile's queries and dL/d(attended) spread over the pair lanes, [head_dim x LANES] (else empty). */
    final float[] queriesSpread;
    final float[] gradSpread;
    /** Narrow heads: the tile in hand. */
    final Tile tile;

    AttentionScratch(ModelConfig config) {
        this(config, NarrowHeadAttention.applies(config));
    }

    /** @param narrow sized for {@link NarrowHeadAttention} (else for the per-head tiles) */
    AttentionScratch(ModelConfig config, boolean narrow) {
        int block = config.blockSize();
        int lanes = VectorKernels.LANES;
        if (narrow) {
            queriesT = new Matrix(new float[0], 0, 0);
            gradAttendedT = queriesT;
            weights = new float[0];
            gradScores = weights;
            pairWeights = new float[block * lanes];
            pairGrads = new float[block * lanes];
            queriesSpread = new float[config.headDim() * lanes];
            gradSpread = new float[config.headDim() * lanes];
        } else {
            int positions = VectorKernels.padded(block);
            queriesT = new Matrix(new float[config.nEmbd() * positions], 0, positions);
            gradAttendedT = new Matrix(new float[config.nEmbd() * positions], 0, positions);
            int tileRow = CausalAttention.headsPerPass(config) * lanes;
            weights = new float[block * tileRow];
            gradScores = new float[block * tileRow];
            pairWeights = new float[0];
            pairGrads = pairWeights;
            queriesSpread = pairWeights;
            gradSpread = pairWeights;
        }
        tile = new Tile(config);
    }

    /** Bytes held. */
    long bytes() {
        return 4L * (queriesT.data().length + gradAttendedT.data().length + weights.length + gradScores.length
                + pairWeights.length + pairGrads.length + queriesSpread.length + gradSpread.length);
    }

    /**
     * A cursor over one document's tiles of queries and the heads a call works on: the document's first row, the
     * tile's first query position and how many queries it holds, its last key, which columns the heads own; for
     * {@link CausalAttention}'s per-head tiles also the pass of heads in hand and where the tile's weights are.
     */
    static final class Tile {
        private final int heads;
        private final int headDim;
        private final int rowVectors;
        /** The document's row 0 (position 0). */
        int first;
        /** The tile's first query position, its queries and its last key (t0 + count - 1). */
        int t0;
        int count;
        int lastKey;
        /** The heads [h0, h1) of the call; partial when not all of them (stores then keep to their columns). */
        int h0;
        int h1;
        boolean partial;
        /** The vectors of a row that hold a column of the heads: [vectorFrom, vectorTo). */
        int vectorFrom;
        int vectorTo;
        /** The tile's first query's lane in the document's transposed queries (t0 less the call's first position). */
        int lane;
        /** The pass of heads in hand (its first head) and the call's heads within it, [hFrom, hTo). */
        int passStart;
        int hFrom;
        int hTo;
        /** The tile's weights: from w[wi], kept (a row per key of the document, every head) or in a scratch tile. */
        float[] w;
        int wi;
        boolean kept;

        Tile(ModelConfig config) {
            this.heads = config.nHead();
            this.headDim = config.headDim();
            this.rowVectors = VectorKernels.padded(config.nEmbd()) / VectorKernels.LANES;
        }

        /** Works on heads [h0, h1) from now on. */
        void heads(int from, int to) {
            h0 = from;
            h1 = to;
            partial = to - from < heads;
            vectorFrom = from * headDim / VectorKernels.LANES;
            vectorTo = partial ? (to * headDim + VectorKernels.LANES - 1) / VectorKernels.LANES : rowVectors;
        }

        /** The tile of up to {@code size} queries from position {@code start} of the document from row {@code firstRow}, {@code end} positions long. */
        void set(int firstRow, int start, int end, int size) {
            first = firstRow;
            t0 = start;
            count = Math.min(end, start + size) - start;
            lastKey = start + count - 1;
        }

        /** Works on pass {@code pass} of {@code headsPerPass} heads: the call's heads within it. */
        void pass(int pass, int headsPerPass) {
            passStart = pass * headsPerPass;
            hFrom = Math.max(h0, passStart);
            hTo = Math.min(h1, passStart + headsPerPass);
        }

        /** The tile's weights are at weights[index] on, kept or in a scratch tile. */
        void weights(float[] weights, int index, boolean keptWeights) {
            w = weights;
            wi = index;
            kept = keptWeights;
        }

        /** The lanes of a row's vector i that hold columns of the heads. */
        VectorMask<Float> columns(int i) {
            return VectorKernels.SPECIES.indexInRange(i * VectorKernels.LANES - h0 * headDim, (h1 - h0) * headDim);
        }
    }
}
