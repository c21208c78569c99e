package io.microgpt.simd;

import static io.microgpt.core.MemoryEstimate.plus;
import static io.microgpt.core.MemoryEstimate.times;

import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.MemoryPart;

/**
 * What a {@link SimdEngine} and a {@link SimdLogitStream} allocate, computed from the config in saturating long
 * arithmetic before anything is allocated (see {@link MemoryEstimate}). It mirrors {@link BatchBuffers},
 * {@link AttentionScratch} (one per shard), {@link SimdWeights}, the gradients and Adam's moments, padding every row to {@link #MAX_LANES} floats (the
 * widest vector), so it is at or above the real size at any vector width; a test holds it to
 * {@link SimdEngine#workingSetBytes()}. It names no Vector API type, so it runs where the backend cannot.
 */
final class SimdFootprint {
    /** Floats in the widest vector (512 bits): padding to it bounds the padding to any narrower one. */
    static final int MAX_LANES = 16;

    private SimdFootprint() {
    }

    /**
     * Training a batch: buffers for batch x block rows (the engine lays a batch out at block rows per document),
     * or for a chunk's rows when the batch is cut into chunks (the most {@link #chunkRows} gives at any vector
     * width: at least the real chunk); per thread an attention scratch and an embeddings' gradient, and one more of
     * those for the split pass; the weights, their transposed copy, the gradient, Adam's two moments and up to
     * three shards' gradients; two ints per document.
     */
    static MemoryPart training(ModelConfig c, int batchSize) {
        int chunk = Math.max(chunkRows(c, 4), Math.max(chunkRows(c, 8), chunkRows(c, MAX_LANES)));
        long rows = Math.min(times(batchSize, c.blockSize()), chunk);
        long bytes = plus(times(4, buffersFloats(c, rows)), times(4, weightsFloats(c), 5 + SimdEngine.MAX_THREADS));
        long embeddings = times(c.vocabSize() + (long) c.blockSize(), padded(c.nEmbd()));
        bytes = plus(bytes, times(4, plus(times(SimdEngine.MAX_THREADS, scratchFloats(c)), times(SimdEngine.MAX_THREADS + 1, embeddings))));
        bytes = plus(bytes, times(8, batchSize + 1L));   // per document: its rows and the chunk starts (BatchCut)
        return new MemoryPart("simd activation buffers for " + batchSize + (batchSize == 1 ? " document of " : " documents of ") + c.blockSize() + " rows",
                bytes, Math.max(largestArray(c, rows), batchSize + 1L), "lower --batch or --block-size");
    }

    /** One sampling stream: buffers for block rows, one attention scratch and a copy of the weights. */
    static MemoryPart sampling(ModelConfig c) {
        long rows = c.blockSize();
        long bytes = plus(plus(times(4, buffersFloats(c, rows)), times(4, scratchFloats(c))), times(4, weightsFloats(c), 2));
        return new MemoryPart("simd sampling buffers of " + rows + " rows", bytes, largestArray(c, rows), "lower --block-size");
    }

    /** Floats of {@link BatchBuffers} with {@code rows} rows (ints counted as floats: both 4 bytes). */
    static long buffersFloats(ModelConfig c, long rows) {
        return plus(plus(times(rowFloats(c, MAX_LANES), rows), 1), keptWeightsFloats(c, rows));
    }

    /** Floats of {@link BatchBuffers} per row, the kept attention weights aside, rows padded to {@code lanes}. */
    static long rowFloats(ModelConfig c, int lanes) {
        long e = padded(c.nEmbd(), lanes);
        long f = padded(c.mlpDim(), lanes);
        long perRow = 7;                                                // token, target, position, start, weight, loss, embed scale
        perRow = plus(perRow, times(e, c.nLayer() + 1 + 7));            // embedSum, stream, 6 gradients
        perRow = plus(perRow, plus(padded(c.vocabSize(), lanes), f));   // logits, gradHidden
        return plus(perRow, times(plus(times(7, e), f + 2), c.nLayer()));
    }

    /**
     * Rows of a chunk ({@link BatchCut}) at vectors of {@code lanes} floats: as many as keep {@link BatchBuffers}
     * within {@link SimdEngine#CHUNK_BYTES} (with attention's kept weights if at that size they are kept), at
     * least one block (a document never spans two chunks).
     */
    static int chunkRows(ModelConfig c, int lanes) {
        long kept = times(c.nHead(), padded(c.blockSize(), lanes), c.nLayer());
        long row = times(4, rowFloats(c, lanes));
        long rows = SimdEngine.CHUNK_BYTES / plus(row, times(4, kept));
        if (times(4, kept, rows) > BatchBuffers.KEPT_WEIGHTS_LIMIT) rows = SimdEngine.CHUNK_BYTES / row;   // recomputed, not kept
        return (int) Math.max(c.blockSize(), Math.min(rows, Integer.MAX_VALUE / 2));
    }

    /**
     * Floats of one {@link AttentionScratch}: one document's queries and incoming gradient transposed, one
     * tile's weights and their gradient (at most every head's lanes per key): O(block x (n_embd + heads x lanes)).
     */
    static long scratchFloats(ModelConfig c) {
        return plus(times(2, c.nEmbd(), padded(c.blockSize())), tileFloats(c));
    }

    /** Floats of one attention tile's weights and their gradient: 2 x block x heads x lanes. */
    private static long tileFloats(ModelConfig c) {
        return times(2, c.blockSize(), times(c.nHead(), MAX_LANES));
    }

    /**
     * Floats of the attention weights forward keeps for backward ({@link BatchBuffers#KEPT_WEIGHTS_LIMIT}), 0
     * when they are recomputed instead. Counted whenever the unpadded size is within the limit: the real
     * decision pads less than {@link #MAX_LANES} may, so this never misses kept weights.
     */
    static long keptWeightsFloats(ModelConfig c, long rows) {
        long unpadded = times(4, rows, times(c.nHead(), c.blockSize(), c.nLayer()));
        return unpadded <= BatchBuffers.KEPT_WEIGHTS_LIMIT ? times(rows, times(c.nHead(), padded(c.blockSize()), c.nLayer())) : 0;
    }

    /** Floats of one padded copy of the weights, and of their transposed copy (both at most this). */
    static long weightsFloats(ModelConfig c) {
        long e = padded(c.nEmbd());
        long rows = plus(times(2, c.vocabSize()), c.blockSize());
        long layer = plus(times(8, c.nEmbd(), e), times(c.nEmbd(), padded(c.mlpDim())));
        long transposedLayer = plus(times(4, c.nEmbd(), e), plus(times(c.nEmbd(), padded(c.mlpDim())), times(c.mlpDim(), e)));
        return plus(times(rows, e), times(c.nLayer(), Math.max(layer, transposedLayer)));
    }

    private static long largestArray(ModelConfig c, long rows) {
        long scores = Math.max(times(c.nEmbd(), padded(c.blockSize())), tileFloats(c) / 2);
        long logits = times(rows, padded(c.vocabSize()));
        long hidden = times(rows, padded(c.mlpDim()));
        return Math.max(Math.max(scores, logits), Math.max(hidden, weightsFloats(c)));
    }

    private static long padded(long n) {
        return padded(n, MAX_LANES);
    }

    private static long padded(long n, int lanes) {
        return (n + lanes - 1) / lanes * lanes;
    }
}
