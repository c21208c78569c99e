package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * What {@link CausalAttention} needs while it works on one document: the document's rows of q, k, v and of
 * the incoming gradient copied out from row 0 on (one contiguous copy each), with a view per head of each;
 * one head's queries (or gradient) transposed; the head's scores and their gradient; one head-wide output.
 * Sized for one block, whatever the batch: O(block^2 + block x n_embd) floats. One per thread (shard), reused
 * for every document and head.
 */
final class AttentionScratch {
    /** The document's queries, keys, values and dL/d(attended) [positions x n_embd], from row 0. */
    final Matrix queries;
    final Matrix keys;
    final Matrix values;
    final Matrix gradAttended;
    /** Views of head h's columns of {@link #queries}, {@link #keys}, {@link #values}, {@link #gradAttended}. */
    final Matrix[] queriesByHead;
    final Matrix[] keysByHead;
    final Matrix[] valuesByHead;
    final Matrix[] gradAttendedByHead;
    /** One head's queries, or dL/d(attended), transposed: [head_dim x positions]. */
    final Matrix transposed;
    /** Attention weights, transposed: [keys x queries], a row per key and a lane per query. */
    final Matrix weights;
    /** dL/d(scores), laid out as {@link #weights}. */
    final Matrix gradScores;
    /** One head-wide result [block x head_dim rounded up to whole vectors], before it goes to its head's columns. */
    final Matrix headOut;

    AttentionScratch(ModelConfig config) {
        int block = config.blockSize();
        int heads = config.nHead();
        queries = rows(block, config.nEmbd());
        keys = rows(block, config.nEmbd());
        values = rows(block, config.nEmbd());
        gradAttended = rows(block, config.nEmbd());
        queriesByHead = byHead(queries, config);
        keysByHead = byHead(keys, config);
        valuesByHead = byHead(values, config);
        gradAttendedByHead = byHead(gradAttended, config);
        transposed = rows(config.headDim(), block);
        weights = rows(block, block);
        gradScores = rows(block, block);
        headOut = rows(block, config.headDim());
        assert heads == queriesByHead.length;
    }

    /**
     * A [rows x cols] matrix with one vector of slack at the end: a head-wide product reads whole vectors
     * from a head's first column, which for the last head can run past its row's end (into lanes it ignores).
     */
    private static Matrix rows(int rows, int cols) {
        int stride = VectorKernels.padded(cols);
        return new Matrix(new float[rows * stride + VectorKernels.LANES], 0, stride);
    }

    private static Matrix[] byHead(Matrix m, ModelConfig c) {
        Matrix[] views = new Matrix[c.nHead()];
        for (int h = 0; h < views.length; h++) views[h] = new Matrix(m.data(), h * c.headDim(), m.stride());
        return views;
    }

    /** Bytes held. */
    long bytes() {
        long floats = 0;
        for (Matrix m : new Matrix[] {queries, keys, values, gradAttended, transposed, weights, gradScores, headOut}) {
            floats += m.data().length;
        }
        return 4 * floats;
    }
}
