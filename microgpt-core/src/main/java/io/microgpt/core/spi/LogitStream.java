package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;

/**
 * Inference over a growing context: feed one token at the next position, get the logits of the token that
 * follows. Keys and values of earlier positions are cached, so each call costs one position's work. A stream
 * computes with the weights as they were when {@link Engine#openStream()} made it; {@link #reset()} starts a new
 * context over the same weights.
 *
 * <p>This class keeps the position and checks every token, the same for every backend; a backend supplies
 * {@link #compute}, the model run on one position. Streams are not thread-safe.
 */
public abstract class LogitStream {
    private final ModelConfig config;
    private final double[] logits;
    private int position;

    /** A stream over a model of this shape, at position 0. */
    protected LogitStream(ModelConfig config) {
        this.config = config;
        this.logits = new double[config.vocabSize()];
    }

    /**
     * Feeds {@code token} at position {@link #position()} and returns the next-token logits. The array is the
     * stream's own and is overwritten by the next call.
     *
     * @throws MicrogptException when the context is already {@code blockSize} tokens long or the token is not in
     *                           the vocabulary
     */
    public final double[] next(int token) {
        if (position >= config.blockSize()) {
            throw new MicrogptException("the context is full: the model sees at most " + config.blockSize() + " tokens");
        }
        if (token < 0 || token >= config.vocabSize()) {
            throw new MicrogptException("token " + token + " is outside the vocabulary 0.." + (config.vocabSize() - 1));
        }
        compute(token, position, logits);
        position++;
        return logits;
    }

    /** How many tokens have been fed since the last reset. */
    public final int position() {
        return position;
    }

    /** Forgets the context: the next token goes to position 0. */
    public final void reset() {
        position = 0;
    }

    /**
     * Runs the model on {@code token} at {@code position} (checked: inside the block and the vocabulary), attending
     * to the positions {@code 0..position-1} fed before it since the last reset, caches this position's keys and
     * values, and writes the next-token logits into {@code logits} ({@code vocabSize} values).
     */
    protected abstract void compute(int token, int position, double[] logits);
}
