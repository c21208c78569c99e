package io.microgpt.core;

import io.microgpt.core.tokenizer.CharTokenizer;
import java.util.Locale;

/**
 * Limits checked before any weight is allocated, so that a dataset or a configuration that cannot work fails
 * with a sentence instead of deep inside a backend: the vocabulary of a character model, and the memory the
 * weights need next to their gradient and Adam's two moments.
 */
final class ModelBudget {
    /** f64 weight, gradient, first and second moment: the least any backend keeps per parameter. */
    static final int BYTES_PER_PARAMETER = 4 * Double.BYTES;

    private ModelBudget() {
    }

    /** Throws a {@link MicrogptException} if the vocabulary is too large or the model cannot fit in {@code maxHeapBytes}. */
    static void check(String source, int vocabSize, int nEmbd, int nLayer, int blockSize, long maxHeapBytes) {
        if (vocabSize > CharTokenizer.MAX_VOCAB_SIZE) {
            throw new MicrogptException(String.format(Locale.ROOT,
                    "%s has %,d distinct characters, more than the %,d a character-level vocabulary allows"
                            + " (is it one-document-per-line text?): use a text with fewer distinct characters",
                    source, vocabSize - 1, CharTokenizer.MAX_VOCAB_SIZE - 1));
        }
        long e = nEmbd;
        long embeddings = 2L * vocabSize * e;
        long positions = (long) blockSize * e;
        long layers = (long) nLayer * 12L * e * e;
        long parameters = embeddings + positions + layers;
        long bytes = parameters * BYTES_PER_PARAMETER;
        if (bytes > maxHeapBytes) {
            // name what to lower after the largest term: the position table grows with the block size alone
            String lower = positions > layers && positions > embeddings ? "lower block_size" : "lower n_embd or n_layer";
            throw new MicrogptException(String.format(Locale.ROOT,
                    "the model needs %,d parameters (vocab %,d, n_embd %d, n_layer %d, block_size %d), about %s for weights,"
                            + " gradients and Adam state, more than the %s this JVM may use: %s,"
                            + " use a text with fewer distinct characters, or raise the heap (CLI: MICROGPT_JAVA_OPTS=-Xmx...)",
                    parameters, vocabSize, nEmbd, nLayer, blockSize, size(bytes), size(maxHeapBytes), lower));
        }
    }

    private static String size(long bytes) {
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
        if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
