package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.tokenizer.Tokenizer;
import java.util.List;

/**
 * The {@link DataLayout#LINES lines} layout as one run sees it: the documents shuffled once by the run's random
 * source (the reference's {@code random.shuffle(docs)}), the last {@code round(validationFraction * n)} of them
 * (at least one when the fraction is not 0) held out, and step {@code k} training on the next {@code b}
 * documents of the rest, wrapping around: documents {@code (k * b + i) mod count}. At batch 1 this is the
 * reference's schedule.
 */
final class ShuffledDocuments implements TrainingData.Samples {
    private final Tokenizer tokenizer;
    private final List<String> training;
    private final List<String> validation;
    private final int[][] trainingTokens;

    ShuffledDocuments(Dataset dataset, PyRandom rng, double validationFraction) {
        List<String> shuffled = dataset.shuffled(rng);
        int validationCount = validationCount(shuffled.size(), validationFraction);
        this.tokenizer = dataset.tokenizer();
        this.training = List.copyOf(shuffled.subList(0, shuffled.size() - validationCount));
        this.validation = List.copyOf(shuffled.subList(shuffled.size() - validationCount, shuffled.size()));
        this.trainingTokens = encode(training);
    }

    /** Documents held out of {@code n}: {@code round(f * n)}, at least one when f is not 0, never all. */
    static int validationCount(int n, double validationFraction) {
        int count = (int) Math.round(validationFraction * n);
        if (validationFraction > 0 && count == 0) count = 1;
        if (count >= n) {
            throw new MicrogptException("validation fraction " + validationFraction + " leaves no training documents ("
                    + n + " in all)");
        }
        return count;
    }

    private int[][] encode(List<String> docs) {
        int[][] tokens = new int[docs.size()][];
        for (int i = 0; i < tokens.length; i++) tokens[i] = tokenizer.encodeDocument(docs.get(i));
        return tokens;
    }

    @Override
    public int[][] newBatch(int size) {
        return new int[size][];
    }

    @Override
    public void fill(int step, PyRandom rng, int[][] batch) {
        long first = (long) step * batch.length;
        for (int i = 0; i < batch.length; i++) batch[i] = trainingTokens[(int) ((first + i) % trainingTokens.length)];
    }

    /** The first {@code max} held-out documents, encoded. */
    @Override
    public int[][] validationSamples(int max) {
        return encode(validation.subList(0, Math.min(max, validation.size())));
    }

    @Override
    public int heldOutCount() {
        return validation.size();
    }

    @Override
    public List<String> trainingDocuments() {
        return training;
    }

    @Override
    public List<String> validationDocuments() {
        return validation;
    }
}
