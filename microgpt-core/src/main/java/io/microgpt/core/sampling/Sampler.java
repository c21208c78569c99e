package io.microgpt.core.sampling;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.Text;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;

/**
 * Generates documents from a model, as the reference does: start from BOS, at each position turn the logits
 * into probabilities with a temperature softmax, draw the next token with {@link PyRandom#choice}, stop at
 * BOS or at the block size. The softmax is computed in double with the reference's operations
 * ({@code l / T} as {@code l * T^-1}, max subtracted, {@code exp}, sum from the left, each {@code e / total}).
 *
 * <p>A sampler opens one {@link LogitStream} and {@linkplain LogitStream#reset() resets} it for each document,
 * so it samples the weights as they were when it was made: make a new one after training further.
 *
 * <p>Not thread-safe: it reuses one {@link LogitStream}, so one sample at a time (as {@code TrainingRun#sample}
 * ensures for its callers); give each thread its own sampler and random source otherwise.
 */
public final class Sampler {
    private final Engine engine;
    private final LogitStream stream;
    private final Tokenizer tokenizer;
    private final NextToken nextToken;

    /** A sampler over an engine's current weights (a snapshot: later training steps do not change it). */
    public Sampler(Engine engine, Tokenizer tokenizer) {
        this.nextToken = NextToken.forModel(engine, tokenizer);
        this.engine = engine;
        this.stream = engine.openStream();
        this.tokenizer = tokenizer;
    }

    /** One document at this temperature, exactly as the reference samples. */
    public String sample(PyRandom rng, double temperature) {
        return sample(rng, temperature, 0, "");
    }

    /**
     * One document.
     *
     * @param rng         the random source
     * @param temperature softmax temperature, &gt; 0 (lower: more conservative)
     * @param topK        draw only among the k most likely tokens; 0 for all
     * @param prefix      text the document starts with (must be in the vocabulary and shorter than the block)
     */
    public String sample(PyRandom rng, double temperature, int topK, String prefix) {
        return sample(rng, new SamplingSettings(temperature, topK, 1), prefix);
    }

    /**
     * One document.
     *
     * @param rng      the random source
     * @param settings temperature, top-k and top-p
     * @param prefix   text the document starts with (must be in the vocabulary and shorter than the block)
     */
    public String sample(PyRandom rng, SamplingSettings settings, String prefix) {
        int blockSize = engine.config().blockSize();
        int[] prefixIds = tokenizer.encode(prefix);
        if (prefixIds.length >= blockSize) {
            throw new MicrogptException("prefix " + Text.quote(prefix) + " has " + prefixIds.length
                    + (tokenizer instanceof CharTokenizer ? " characters" : " tokens") + "; it must be shorter than the block size "
                    + blockSize);
        }
        stream.reset();
        StringBuilder out = new StringBuilder(prefix);
        Tokenizer.Decoder decoder = tokenizer.decoder();
        int token = tokenizer.bos();
        for (int id : prefixIds) {
            stream.next(token);
            token = id;
        }
        for (int pos = prefixIds.length; pos < blockSize; pos++) {
            token = nextToken.draw(stream.next(token), settings, rng, -1);
            if (token == tokenizer.bos()) break;
            out.append(decoder.next(token));
        }
        return out.append(decoder.finish()).toString();
    }
}
