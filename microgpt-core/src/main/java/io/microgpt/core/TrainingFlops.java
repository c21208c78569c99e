package io.microgpt.core;

import io.microgpt.core.spi.Engine;
import java.util.List;

/**
 * Floating-point operations of one training sample, counted from the model shape: the yardstick that turns a
 * measured µs per sample into achieved GFLOP/s.
 *
 * <p>Counted: the multiply-adds of the matrix products and of attention, two operations each. One position
 * of a document (at 0-based index {@code t}, so {@code t + 1} positions attended to) costs in the forward pass
 * <pre>
 *   2 * (nLayer * 12 * nEmbd^2 + vocabSize * nEmbd)      q, k, v, wo (4 nEmbd^2), fc1 and fc2 (8 nEmbd^2), lm_head
 * + nLayer * 4 * nHead * headDim * (t + 1)                scores q.k and the weighted sum of v
 * </pre>
 * and the backward pass twice that (each product {@code y = W x} needs {@code dx = W^T dy} and
 * {@code dW += dy x^T}), so a training position costs three times its forward pass. Not counted: embeddings,
 * norms, softmax, ReLU, the loss and Adam, which are linear in the width (a few percent of the total from
 * n_embd 64 up, more at n_embd 16). A document trains on its first {@code min(blockSize, length - 1)}
 * positions, as {@link Engine} says.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class TrainingFlops {
    private TrainingFlops() {
    }

    /** Training FLOPs (forward and backward) of one document of {@code positions} trained positions. */
    public static double perDocument(ModelConfig config, int positions) {
        double d = config.nEmbd();
        double matmulPerPosition = 2 * (config.nLayer() * 12 * d * d + (double) config.vocabSize() * d);
        // sum over t = 0 .. positions-1 of (t + 1) = positions * (positions + 1) / 2
        double attended = (double) positions * (positions + 1) / 2;
        double attention = config.nLayer() * 4.0 * config.nHead() * config.headDim() * attended;
        return 3 * (matmulPerPosition * positions + attention);
    }

    /**
     * Mean training FLOPs per document over these token arrays (BOS, characters, BOS), as a run that cycles
     * through all of them trains them.
     */
    public static double meanPerDocument(ModelConfig config, List<int[]> documents) {
        if (documents.isEmpty()) throw new MicrogptException("no documents to count the FLOPs of");
        double sum = 0;
        for (int[] doc : documents) sum += perDocument(config, Math.min(config.blockSize(), doc.length - 1));
        return sum / documents.size();
    }
}
