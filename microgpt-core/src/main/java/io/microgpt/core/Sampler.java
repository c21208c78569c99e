package io.microgpt.core;

import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;

/**
 * Generates documents from a model, as the reference does: start from BOS, at each position turn the logits
 * into probabilities with a temperature softmax, draw the next token with {@link PyRandom#choice}, stop at
 * BOS or at the block size. The softmax is computed in double with the reference's operations
 * ({@code l / T} as {@code l * T^-1}, max subtracted, {@code exp}, sum from the left, each {@code e / total}).
 *
 * <p>A sampler opens one {@link LogitStream} and {@linkplain LogitStream#reset() resets} it for each document,
 * so it samples the weights as they were when it was made: make a new one after training further.
 */
public final class Sampler {
    private final Engine engine;
    private final LogitStream stream;
    private final Tokenizer tokenizer;
    private final int vocabSize;
    private final double[] weights;
    private final double[] cumulative;
    private final double[] sorted;

    /** A sampler over an engine's current weights (a snapshot: later training steps do not change it). */
    public Sampler(Engine engine, Tokenizer tokenizer) {
        if (engine.config().vocabSize() != tokenizer.vocabSize()) {
            throw new MicrogptException("the model's vocabulary has " + engine.config().vocabSize()
                    + " tokens but the tokenizer's has " + tokenizer.vocabSize());
        }
        this.engine = engine;
        this.stream = engine.openStream();
        this.tokenizer = tokenizer;
        this.vocabSize = tokenizer.vocabSize();
        this.weights = new double[vocabSize];
        this.cumulative = new double[vocabSize];
        this.sorted = new double[vocabSize];
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
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new MicrogptException("temperature must be a positive finite number, got " + temperature);
        }
        if (topK < 0) throw new MicrogptException("top-k must be 0 (off) or positive, got " + topK);
        int blockSize = engine.config().blockSize();
        int[] prefixIds = tokenizer.encode(prefix);
        if (prefixIds.length >= blockSize) {
            throw new MicrogptException("prefix " + Text.quote(prefix) + " has " + prefixIds.length
                    + " characters; it must be shorter than the block size " + blockSize);
        }
        stream.reset();
        StringBuilder out = new StringBuilder(prefix);
        int token = tokenizer.bos();
        for (int id : prefixIds) {
            stream.next(token);
            token = id;
        }
        for (int pos = prefixIds.length; pos < blockSize; pos++) {
            double[] logits = stream.next(token);
            temperatureSoftmax(logits, temperature, topK);
            token = rng.choice(weights, vocabSize, cumulative);
            if (token == tokenizer.bos()) break;
            out.append(tokenizer.symbol(token));
        }
        return out.toString();
    }

    /** weights = softmax(logits / T), restricted to the top k when k &gt; 0. */
    private void temperatureSoftmax(double[] logits, double temperature, int topK) {
        double inverseT = 1.0 / temperature;
        double max = Double.NEGATIVE_INFINITY;
        boolean finiteLogits = true;
        for (int i = 0; i < vocabSize; i++) {
            finiteLogits &= Double.isFinite(logits[i]);
            weights[i] = logits[i] * inverseT;
            if (weights[i] > max || Double.isNaN(weights[i])) max = weights[i];
        }
        if (!finiteLogits) {
            throw new MicrogptException("the model's outputs are not finite numbers, so it cannot be sampled"
                    + " (training diverged: try a lower learning rate)");
        }
        if (Double.isNaN(max) || Double.isInfinite(max)) {
            throw new MicrogptException("temperature " + temperature + " is too small for this model: logits / temperature"
                    + " overflow (" + Text.shown(max) + "); use a larger temperature, e.g. 0.01 or more");
        }
        double threshold = topK > 0 && topK < vocabSize ? kthLargest(topK) : Double.NEGATIVE_INFINITY;
        double total = 0;
        for (int i = 0; i < vocabSize; i++) {
            weights[i] = weights[i] >= threshold ? Math.exp(weights[i] + -max) : 0.0;
            total += weights[i];
        }
        double inverseTotal = 1.0 / total;
        for (int i = 0; i < vocabSize; i++) weights[i] = weights[i] * inverseTotal;
    }

    private double kthLargest(int k) {
        System.arraycopy(weights, 0, sorted, 0, vocabSize);
        java.util.Arrays.sort(sorted);
        return sorted[vocabSize - k];
    }
}
