package io.microgpt.scalar;

import static io.microgpt.core.MemoryEstimate.plus;
import static io.microgpt.core.MemoryEstimate.times;

import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.MemoryPart;

/**
 * How large the autograd {@link Tape} grows, computed from the config in saturating long arithmetic before
 * anything is recorded (see {@link MemoryEstimate}). Counts per position of {@link ScalarGpt#forward}, for a
 * context of t positions (e = n_embd, H = heads, L = layers, V = vocabulary): nodes
 * {@code L (18e + 8 + H (5t + 1)) + 2e + V + 4}, edges {@code L (24e^2 + 4te + 6tH + 16e + 6) + 6e + 2Ve + 3};
 * the loss adds {@code V + 5} nodes and {@code 2V + 6} edges per position. A node costs
 * {@link #BYTES_PER_NODE} bytes and an edge {@link #BYTES_PER_EDGE}; the arrays double when full, so their
 * capacity is up to twice what is recorded. A test holds the node counts to the tape's and the bytes to its own.
 */
final class TapeFootprint {
    /** value, grad (8 each), edgeStart, termEdges, inputRun and the backward schedule's six int arrays. */
    static final int BYTES_PER_NODE = 2 * 8 + 9 * 4;
    /** child, localGrad and three event ints. */
    static final int BYTES_PER_EDGE = 4 + 8 + 3 * 4;

    private TapeFootprint() {
    }

    /** Training on {@code batchSize} documents of {@code positions} positions each, in one tape. */
    static MemoryPart training(ModelConfig c, int batchSize, int positions) {
        long p = MemoryEstimate.parameters(c);
        long nodes = times(batchSize, plus(forwardNodes(c, positions), times(positions, c.vocabSize() + 5L)));
        long edges = times(batchSize, plus(forwardEdges(c, positions), times(positions, 2L * c.vocabSize() + 6)));
        return part("scalar autograd tape for " + batchSize + (batchSize == 1 ? " document" : " documents") + " of "
                + positions + " positions", p, 4 * p, 16 * p, nodes, edges, "lower --batch, --n-embd or --n-layer");
    }

    /**
     * One sampling stream ({@link ScalarLogitStream}: forward only, no tape): its copy of the weights and a key
     * and a value cache of block x n_embd per layer.
     */
    static MemoryPart sampling(ModelConfig c) {
        long p = MemoryEstimate.parameters(c);
        long cache = times(2, c.nLayer(), c.blockSize(), c.nEmbd());
        long bytes = times(8, plus(plus(p, cache), plus(c.blockSize(), 8L * c.nEmbd() + c.vocabSize())));
        return new MemoryPart("scalar sampling state (weights and key/value cache of " + c.blockSize() + " positions)",
                bytes, Math.max(p, times(c.blockSize(), c.nEmbd())), "lower --block-size, --n-embd or --n-layer");
    }

    private static MemoryPart part(String what, long leaves, long initialNodes, long initialEdges, long nodes, long edges,
                                            String lower) {
        long nodeCapacity = Math.max(initialNodes, times(2, plus(leaves, nodes)));
        long edgeCapacity = Math.max(initialEdges, times(2, edges));
        long bytes = plus(times(nodeCapacity, BYTES_PER_NODE), times(edgeCapacity, BYTES_PER_EDGE));
        return new MemoryPart(what, bytes, Math.max(nodeCapacity, edgeCapacity), lower);
    }

    /** Nodes that {@code n} calls of forward record (positions 0..n-1). */
    static long forwardNodes(ModelConfig c, long n) {
        long e = c.nEmbd();
        long h = c.nHead();
        long perPosition = plus(times(c.nLayer(), 18 * e + 8 + h), 2 * e + c.vocabSize() + 4);
        long contexts = times(n, n + 1) / 2;   // sum of t over the positions
        return plus(times(n, perPosition), times(c.nLayer(), 5 * h, contexts));
    }

    /** Edges that {@code n} calls of forward record. */
    static long forwardEdges(ModelConfig c, long n) {
        long e = c.nEmbd();
        long h = c.nHead();
        long perLayer = plus(times(24, e, e), 16 * e + 6);
        long perPosition = plus(times(c.nLayer(), perLayer), plus(6 * e + 3, times(2, c.vocabSize(), e)));
        long contexts = times(n, n + 1) / 2;
        return plus(times(n, perPosition), times(c.nLayer(), 4 * e + 6 * h, contexts));
    }
}
