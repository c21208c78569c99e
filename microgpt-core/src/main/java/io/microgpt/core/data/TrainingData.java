package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.tokenizer.Tokenizer;
import java.math.BigInteger;
import java.util.List;

/**
 * What a run trains on, in one of the {@linkplain DataLayout layouts}: a {@link Dataset} of documents (one per
 * line), or a {@link TextStream}. It answers what a run asks before it starts (the vocabulary, the sizes of its
 * samples for the memory estimate, its identity for checkpoints) and lays itself out as the run's
 * {@link Samples}: the batch of each step and the fixed held-out set. Immutable and thread-safe.
 */
public interface TrainingData {

    /** The layout: which of the two kinds this is. */
    DataLayout layout();

    /** Where it came from: a path, or {@code bundled names}. */
    String source();

    /** Its size in {@linkplain DataLayout#unit() units}: documents, or the stream's characters. */
    int size();

    /** Its identity, as lowercase hex: SHA-256 of the documents (each followed by a newline), or of the file's bytes. */
    String sha256();

    /** The vocabulary the run's model is made for. */
    Tokenizer tokenizer();

    /**
     * The texts a tokenizer may learn from for a run with this seed and validation fraction: what that run trains
     * on, never what it holds out. Documents: the training documents (those the run's shuffle does not hold out),
     * in file order, one text each. A stream: its training part, in pieces that end at line breaks (see
     * {@link io.microgpt.core.tokenizer.Gpt2Pattern#lineChunks}).
     */
    List<String> trainingTexts(BigInteger seed, double validationFraction);

    /**
     * The same data under another tokenizer (a byte-level BPE, or a checkpoint's), for runs holding out
     * {@code validationFraction} (a stream encodes its two parts apart). This data if the tokenizer is its own.
     */
    TrainingData withTokenizer(Tokenizer tokenizer, double validationFraction);

    /**
     * The length in tokens of every sample a run of {@code blockSize} may train on, for the memory estimate made
     * before anything is encoded: each document with its two BOS, or one window of {@code blockSize + 1}.
     */
    int[] sampleLengths(int blockSize);

    /**
     * Lays the data out for one run, drawing from the run's random source what the layout draws before the
     * weights are initialised (the documents' shuffle; a stream draws nothing here). A {@link io.microgpt.core.MicrogptException}
     * when the split leaves too little to train or to validate on.
     *
     * @param rng                the run's random source, just seeded
     * @param blockSize          the model's context length
     * @param validationFraction the share held out for validation, in [0, 1)
     */
    Samples samples(PyRandom rng, int blockSize, double validationFraction);

    /**
     * The data as one run sees it: what each step trains on and the fixed held-out set. Not thread-safe (the
     * run's thread uses it).
     */
    interface Samples {

        /** Arrays to hold a batch of {@code size} samples, to be filled by {@link #fill} at every step. */
        int[][] newBatch(int size);

        /**
         * Fills {@code batch} with the samples of step {@code step} (0-based): the next documents of the shuffled
         * order, wrapping around, or windows at offsets drawn from {@code rng}.
         */
        void fill(int step, PyRandom rng, int[][] batch);

        /** The held-out samples, at most {@code max}, the same at every call (encoded, BOS included where the layout has it). */
        int[][] validationSamples(int max);

        /** Held-out samples in all: validation documents, or the possible validation windows. */
        int heldOutCount();

        /** The training documents in shuffled order; none in the stream layout. */
        default List<String> trainingDocuments() {
            return List.of();
        }

        /** The held-out documents; none in the stream layout. */
        default List<String> validationDocuments() {
            return List.of();
        }
    }
}
