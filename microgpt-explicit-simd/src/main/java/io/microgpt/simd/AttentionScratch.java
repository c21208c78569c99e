package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * What {@link CausalAttention} needs while it works on one document: its queries and the incoming gradient
 * transposed (once per document, all heads: a row per column, a lane per position), and one tile's weights and
 * their gradient (a row per key, {@link VectorKernels#LANES} query lanes per head of a pass). Keys, values and
 * the gradient's rows are read in place. Sized for one block, whatever the batch:
 * O(block x (n_embd + heads x lanes)) floats, never block^2. One per thread (shard), reused for every document
 * and tile.
 */
final class AttentionScratch {
    /** The document's queries and dL/d(attended), transposed: [n_embd x positions]. */
    final Matrix queriesT;
    final Matrix gradAttendedT;
    /** One tile's attention weights (when backward recomputes them, or inference): [keys x (heads of a pass x LANES)]. */
    final float[] weights;
    /** dL/d(scores) of one tile, laid out as {@link #weights}. */
    final float[] gradScores;

    AttentionScratch(ModelConfig config) {
        int block = config.blockSize();
        int positions = VectorKernels.padded(block);
        queriesT = new Matrix(new float[config.nEmbd() * positions], 0, positions);
        gradAttendedT = new Matrix(new float[config.nEmbd() * positions], 0, positions);
        int tileRow = CausalAttention.headsPerPass(config) * VectorKernels.LANES;
        weights = new float[block * tileRow];
        gradScores = new float[block * tileRow];
    }

    /** Bytes held. */
    long bytes() {
        return 4L * (queriesT.data().length + gradAttendedT.data().length + weights.length + gradScores.length);
    }
}
