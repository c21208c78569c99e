package io.microgpt.core;

/**
 * Inference over a growing context: feed one token at the next position, get the logits of the token that
 * follows. Keys and values of earlier positions are cached, so each call costs one position's work.
 */
public interface LogitStream {

    /**
     * Feeds {@code token} at position {@link #position()} and returns the next-token logits. The array is the
     * stream's own and is overwritten by the next call.
     *
     * @throws MicrogptException when the context is already {@code blockSize} tokens long
     */
    double[] next(int token);

    /** How many tokens have been fed since the last reset. */
    int position();

    /** Forgets the context. */
    void reset();

    /**
     * The checks every implementation makes before feeding {@code token} at {@code position}: a
     * {@link MicrogptException} when the context is full or the token is not in the vocabulary.
     */
    static void checkNext(ModelConfig config, int position, int token) {
        if (position >= config.blockSize()) {
            throw new MicrogptException("the context is full: the model sees at most " + config.blockSize() + " tokens");
        }
        if (token < 0 || token >= config.vocabSize()) {
            throw new MicrogptException("token " + token + " is outside the vocabulary 0.." + (config.vocabSize() - 1));
        }
    }
}
