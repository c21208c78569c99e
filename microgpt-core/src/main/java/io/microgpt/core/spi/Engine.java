package io.microgpt.core.spi;

import io.microgpt.core.ModelConfig;

/**
 * A model opened by a {@link Backend}: it owns its weights (in its own precision and layout) and its
 * optimizer state, and answers the few questions training, checking, sampling and checkpoints ask.
 *
 * <p>Documents are token arrays as {@code Tokenizer.encodeDocument} makes them (BOS, characters, BOS), or
 * windows of {@code blockSize + 1} tokens of a text stream (no BOS); a document trains
 * on its first {@code min(blockSize, length - 1)} positions. The loss of a batch is the mean over its documents
 * of each document's mean cross-entropy. Engines are not thread-safe.
 */
public interface Engine extends AutoCloseable {

    /** The model shape. */
    ModelConfig config();

    /** Forward, backward and one Adam update on these documents; returns the loss before the update. */
    double trainStep(int[][] documents, AdamStep step);

    /** Loss and its gradient (in {@link ParameterLayout} order, written into {@code gradient}); no update. */
    double lossAndGradient(int[][] documents, double[] gradient);

    /** Loss only; nothing changes. */
    double loss(int[][] documents);

    /**
     * An inference context, at position 0, over a snapshot of the current weights: later steps or loads do not
     * change what it computes. Open one and {@link LogitStream#reset()} it between documents.
     */
    LogitStream openStream();

    /** A copy of the current weights, in double precision. */
    Parameters parameters();

    /** Replaces the weights (shape must match). */
    void loadParameters(Parameters parameters);

    /** A copy of Adam's moments. */
    OptimizerState optimizerState();

    /** Replaces Adam's moments. */
    void loadOptimizerState(OptimizerState state);

    /**
     * Bytes the engine holds to compute training steps, grown to the largest step so far: the scalar backend's
     * autograd tape (whose leaves are the weights), a vectorised backend's activation and gradient buffers.
     * Adam's moments are not included. -1 when the backend does not say. For memory reports, not for decisions.
     */
    default long workingSetBytes() {
        return -1;
    }

    /** Releases threads and buffers. */
    @Override
    void close();
}
