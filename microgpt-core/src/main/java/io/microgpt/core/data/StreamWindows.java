package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import java.util.Locale;

/**
 * The training and validation samples of a {@link TextStream}: the first {@code (1 - validationFraction)} of
 * the tokens train (as nanoGPT: {@code int(n * (1 - f))} of them), the rest validate. A training sample is a
 * window of {@code blockSize + 1} consecutive tokens of the training part, at an offset drawn uniformly by
 * the run's random source ({@link PyRandom#randBelow}), so that the seed fixes the run and the saved random
 * state resumes it; the model trains on its {@code blockSize} positions. The validation windows are fixed:
 * evenly spaced over the validation part, the same at every evaluation.
 */
final class StreamWindows implements TrainingData.Samples {
    private final TextStream stream;
    private final int blockSize;
    private final int trainLength;
    private final int validationLength;

    StreamWindows(TextStream stream, int blockSize, double validationFraction) {
        this.stream = stream;
        this.blockSize = blockSize;
        this.trainLength = stream.trainingLength(validationFraction);
        this.validationLength = stream.length() - trainLength;
        checkLength("training part", trainLength, validationFraction);
        if (validationFraction > 0) checkLength("validation part", validationLength, validationFraction);
    }

    private void checkLength(String part, int length, double validationFraction) {
        if (length >= blockSize + 1) return;
        String fits = length >= 2 ? "--block-size " + (length - 1) + " or less fits it" : "no block size fits it";
        throw new MicrogptException(String.format(Locale.ROOT,
                "the %s of %s (validation fraction %s) has %,d tokens, fewer than block size %d + 1: %s, or use a longer text",
                part, stream.source(), validationFraction, length, blockSize, fits));
    }

    /** Tokens in the training part. */
    int trainLength() {
        return trainLength;
    }

    /** Tokens in the validation part. */
    int validationLength() {
        return validationLength;
    }

    /** Fills each row of {@code batch} (arrays of {@code blockSize + 1}) with a window at a random offset. */
    @Override
    public void fill(int step, PyRandom rng, int[][] batch) {
        for (int[] window : batch) stream.copy(rng.randBelow(trainLength - blockSize), window);
    }

    /** Reusable window arrays for a batch of {@code size}. */
    @Override
    public int[][] newBatch(int size) {
        return new int[size][blockSize + 1];
    }

    /**
     * The validation windows: {@code min(max, possible)} windows, window {@code i} of {@code n} starting at
     * {@code trainLength + floor(i * possible / n)} where {@code possible} is the number of distinct offsets.
     */
    @Override
    public int[][] validationSamples(int max) {
        if (validationLength == 0) return new int[0][];
        int possible = validationLength - blockSize;
        int n = Math.min(max, possible);
        int[][] windows = new int[n][blockSize + 1];
        for (int i = 0; i < n; i++) stream.copy(trainLength + (int) ((long) i * possible / n), windows[i]);
        return windows;
    }

    /** The possible validation windows: one per offset in the validation part (none without one). */
    @Override
    public int heldOutCount() {
        return validationLength == 0 ? 0 : validationLength - blockSize;
    }
}
