package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * What {@link CausalAttention} needs while it works on one document and one head: that head's slice of the
 * keys, values, queries and incoming gradient, copied out compactly from row 0 on, the head's scores and
 * their gradient, and one head-wide output. Sized for one block, whatever the batch: O(block^2 + block x
 * head_dim) floats. One per thread (shard), reused for every document and head.
 */
final class AttentionScratch {
    /** Keys k_h [keys x head_dim], row u = key position u of the document. */
    final Matrix keys;
    /** Values v_h [keys x head_dim]. */
    final Matrix values;
    /** Queries q_h [queries x head_dim]. */
    final Matrix queries;
    /** Queries transposed, [head_dim x queries]. */
    final Matrix queriesT;
    /** dL/d(attended_h) [queries x head_dim]. */
    final Matrix gradAttended;
    /** dL/d(attended_h) transposed, [head_dim x queries]. */
    final Matrix gradAttendedT;
    /** Attention weights, transposed: [keys x queries], a row per key and a lane per query. */
    final Matrix weights;
    /** dL/d(scores), laid out as {@link #weights}. */
    final Matrix gradScores;
    /** One head-wide result [block x head_dim], before it is copied into its head's columns. */
    final Matrix headOut;

    AttentionScratch(ModelConfig config) {
        int block = config.blockSize();
        int headDim = config.headDim();
        keys = matrix(block, headDim);
        values = matrix(block, headDim);
        queries = matrix(block, headDim);
        queriesT = matrix(headDim, block);
        gradAttended = matrix(block, headDim);
        gradAttendedT = matrix(headDim, block);
        weights = matrix(block, block);
        gradScores = matrix(block, block);
        headOut = matrix(block, headDim);
    }

    private static Matrix matrix(int rows, int cols) {
        int stride = VectorKernels.padded(cols);
        return new Matrix(new float[rows * stride], 0, stride);
    }

    /** Bytes held. */
    long bytes() {
        long floats = 0;
        for (Matrix m : new Matrix[] {keys, values, queries, queriesT, gradAttended, gradAttendedT, weights, gradScores, headOut}) {
            floats += m.data().length;
        }
        return 4 * floats;
    }
}
