package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import io.microgpt.scalar.ScalarBackend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Shared inputs of the simd tests: the bundled names, models of a few shapes, batches, both backends. */
final class Fixtures {
    static final List<String> NAMES = Dataset.bundledNames().shuffled(new PyRandom(42));
    static final Tokenizer TOKENIZER = CharTokenizer.fromDocuments(NAMES);
    static final int VOCAB = TOKENIZER.vocabSize();

    private Fixtures() {
    }

    static ModelConfig config(int nEmbd, int nHead, int nLayer, int blockSize) {
        return new ModelConfig(VOCAB, nEmbd, nHead, nLayer, blockSize, ModelConfig.DEFAULT_INIT_STD);
    }

    /** Reference-style random weights (seeded). */
    static Parameters weights(ModelConfig config, long seed) {
        return Parameters.initialize(config, new PyRandom(seed));
    }

    /**
     * {@code size} documents starting at {@code first} of the shuffled names; the first of them is replaced by
     * the longest name written three times (45 characters), so every batch holds a document longer than the
     * block (up to block 32).
     */
    static int[][] batch(int first, int size) {
        return batch(first, size, 3);
    }

    /** {@link #batch(int, int)} with the longest name written {@code repeats} times (15 characters each). */
    static int[][] batch(int first, int size, int repeats) {
        int[][] docs = new int[size][];
        for (int i = 0; i < size; i++) docs[i] = TOKENIZER.encodeDocument(NAMES.get(first + i));
        String longest = NAMES.stream().max(Comparator.comparingInt(String::length)).orElseThrow();
        docs[0] = TOKENIZER.encodeDocument(longest.repeat(repeats));
        return docs;
    }

    static Engine scalar(Parameters p) {
        return new ScalarBackend().open(p);
    }

    static Engine simd(Parameters p) {
        return new SimdBackend().open(p);
    }

    static List<int[]> documentsLongerThan(int[][] docs, int blockSize) {
        List<int[]> list = new ArrayList<>();
        for (int[] d : docs) if (d.length - 1 > blockSize) list.add(d);
        return list;
    }

    /**
     * Each element of the f32 gradient within 1e-4 x the largest magnitude of its tensor in the exact one (as
     * GradientParityTest bounds them); a failure names the tensor, the element and both values.
     */
    static void assertGradientsClose(io.microgpt.core.spi.ParameterLayout layout, double[] expected, double[] actual) {
        for (io.microgpt.core.spi.TensorSpec t : layout.tensors()) {
            double largest = 0;
            for (int i = t.offset(); i < t.offset() + t.size(); i++) largest = Math.max(largest, Math.abs(expected[i]));
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                if (Math.abs(actual[i] - expected[i]) > 1e-4 * largest) {
                    org.junit.jupiter.api.Assertions.fail(t.name() + " element " + (i - t.offset()) + ": simd " + actual[i]
                            + " vs scalar " + expected[i]);
                }
            }
        }
    }
}
