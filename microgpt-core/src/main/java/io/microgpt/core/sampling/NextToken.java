package io.microgpt.core.sampling;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.Text;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * The one place logits become a drawn token, for {@link Sampler} and {@link TextGenerator}: probabilities by a
 * temperature softmax computed in double with the reference's operations ({@code l / T} as {@code l * T^-1},
 * max subtracted, {@code exp}, sum from the left, each {@code e / total}), optionally cut to the top k and then
 * to the top p, then one {@link PyRandom#choice}. Holds its buffers, so a draw allocates nothing.
 */
final class NextToken {
    private final int vocabSize;
    private final double[] weights;
    private final double[] cumulative;
    private final double[] sorted;

    /**
     * The drawer for sampling {@code engine}'s model with {@code tokenizer}'s vocabulary.
     *
     * @throws MicrogptException when the two vocabularies differ in size
     */
    static NextToken forModel(Engine engine, Tokenizer tokenizer) {
        if (engine.config().vocabSize() != tokenizer.vocabSize()) {
            throw new MicrogptException("the model's vocabulary has " + engine.config().vocabSize()
                    + " tokens but the tokenizer's has " + tokenizer.vocabSize());
        }
        return new NextToken(tokenizer.vocabSize());
    }

    NextToken(int vocabSize) {
        this.vocabSize = vocabSize;
        this.weights = new double[vocabSize];
        this.cumulative = new double[vocabSize];
        this.sorted = new double[vocabSize];
    }

    /** Draws a token from {@code logits}; {@code excluded} (e.g. BOS where it cannot occur) is never drawn, -1 for none. */
    int draw(double[] logits, SamplingSettings settings, PyRandom rng, int excluded) {
        probabilities(logits, settings, excluded);
        return rng.choice(weights, vocabSize, cumulative);
    }

    /** The probabilities the last {@link #draw} (or {@link #probabilities}) drew from; overwritten by the next. */
    double[] weights() {
        return weights;
    }

    /** weights = softmax(logits / T), cut to the top k when k &gt; 0, then to the top p when p &lt; 1. */
    void probabilities(double[] logits, SamplingSettings settings, int excluded) {
        double inverseT = 1.0 / settings.temperature();
        double max = Double.NEGATIVE_INFINITY;
        boolean finiteLogits = true;
        for (int i = 0; i < vocabSize; i++) {
            weights[i] = logits[i] * inverseT;
            if (i == excluded) continue;
            finiteLogits &= Double.isFinite(logits[i]);
            if (weights[i] > max || Double.isNaN(weights[i])) max = weights[i];
        }
        if (!finiteLogits) {
            throw new MicrogptException("the model's outputs are not finite numbers, so it cannot be sampled"
                    + " (training diverged: try a lower learning rate)");
        }
        if (Double.isNaN(max) || Double.isInfinite(max)) {
            // finite logits, but divided by a tiny temperature they overflow: the temperature is the cause
            throw new MicrogptException("temperature " + settings.temperature() + " is too small for this model: logits / temperature"
                    + " overflow (" + Text.shown(max) + "); use a larger temperature, e.g. 0.01 or more");
        }
        if (excluded >= 0) weights[excluded] = Double.NEGATIVE_INFINITY;
        int topK = settings.topK();
        double threshold = topK > 0 && topK < vocabSize ? kthLargest(topK) : Double.NEGATIVE_INFINITY;
        double total = 0;
        for (int i = 0; i < vocabSize; i++) {
            weights[i] = weights[i] >= threshold ? Math.exp(weights[i] + -max) : 0.0;
            total += weights[i];
        }
        double inverseTotal = 1.0 / total;
        for (int i = 0; i < vocabSize; i++) weights[i] = weights[i] * inverseTotal;
        if (settings.topP() < 1) keepNucleus(settings.topP());
    }

    /**
     * Keeps the smallest set of most likely tokens whose probabilities sum to at least {@code p} (all tokens
     * tied with the least likely one kept are kept too), zeroes the others and renormalises.
     */
    private void keepNucleus(double p) {
        System.arraycopy(weights, 0, sorted, 0, vocabSize);
        Arrays.sort(sorted);
        double sum = 0;
        double threshold = 0;
        for (int i = vocabSize - 1; i >= 0; i--) {
            sum += sorted[i];
            threshold = sorted[i];
            if (sum >= p) break;
        }
        double total = 0;
        for (int i = 0; i < vocabSize; i++) {
            if (weights[i] < threshold) weights[i] = 0.0;
            total += weights[i];
        }
        double inverseTotal = 1.0 / total;
        for (int i = 0; i < vocabSize; i++) weights[i] = weights[i] * inverseTotal;
    }

    private double kthLargest(int k) {
        System.arraycopy(weights, 0, sorted, 0, vocabSize);
        Arrays.sort(sorted);
        return sorted[vocabSize - k];
    }
}
