package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;

/**
 * Checks on the batches of documents that engines are given.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class Batches {
    private Batches() {
    }

    /**
     * Throws a {@link MicrogptException} unless the batch holds at least one document and every document has
     * at least two tokens, all of them ids of this model's vocabulary.
     */
    public static void check(int[][] documents, ModelConfig config) {
        if (documents == null || documents.length == 0) throw new MicrogptException("a batch needs at least one document");
        for (int d = 0; d < documents.length; d++) {
            int[] doc = documents[d];
            if (doc == null || doc.length < 2) {
                throw new MicrogptException("document " + d + " of the batch has fewer than 2 tokens (BOS, ..., BOS)");
            }
            for (int token : doc) {
                if (token < 0 || token >= config.vocabSize()) {
                    throw new MicrogptException("document " + d + " of the batch holds token " + token
                            + ", outside the vocabulary 0.." + (config.vocabSize() - 1));
                }
            }
        }
    }
}
