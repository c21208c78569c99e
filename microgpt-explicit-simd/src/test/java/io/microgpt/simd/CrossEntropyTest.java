package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.microgpt.core.ModelConfig;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The loss and its gradient: a range of rows gives the same floats as its rows one at a time and as the range
 * cut anywhere (threads that split a chunk's rows rely on it), and matches softmax cross-entropy in double.
 * Vocabularies narrower than a vector, of one vector and a bit, and of several. The build runs this class at
 * 128, 256 and 512 bits.
 */
class CrossEntropyTest {
    /**
     * Logits of order 3 (so the exponentials span e^-20..1), each a 2-ulp exponential, summed over at most 65
     * terms in f32: 1e-5 relative on the loss and 1e-5 absolute on each gradient entry (weights below 1).
     */
    private static final double BOUND = 1e-5;

    @ParameterizedTest(name = "vocab {0}, rows {1}, gradient {2}")
    @CsvSource({"27, 53, true", "27, 53, false", "3, 37, true", "17, 40, true", "65, 21, true", "32, 16, true", "2, 9, true"})
    void aRangeGivesTheFloatsOfItsRowsOneAtATime(int vocab, int rows, boolean gradient) {
        BatchBuffers together = buffers(vocab, rows, 7);
        BatchBuffers oneByOne = buffers(vocab, rows, 7);
        CrossEntropy loss = new CrossEntropy(vocab);
        loss.apply(together, 0, rows, gradient);
        for (int r = 0; r < rows; r++) loss.apply(oneByOne, r, r + 1, gradient);
        // and cut after row 3
        BatchBuffers shifted = buffers(vocab, rows, 7);
        loss.apply(shifted, 0, 3, gradient);
        loss.apply(shifted, 3, rows, gradient);
        for (BatchBuffers b : new BatchBuffers[] {together, shifted}) {
            for (int r = 0; r < rows; r++) {
                sameFloat("loss", r, 0, oneByOne.rowLoss[r], b.rowLoss[r]);
                int li = b.logits.row(r);
                for (int j = 0; j < b.logits.stride(); j++) {
                    sameFloat("dL/dlogits", r, j, oneByOne.logits.data()[li + j], b.logits.data()[li + j]);
                }
            }
        }
    }

    @ParameterizedTest(name = "vocab {0}, rows {1}")
    @CsvSource({"27, 53", "3, 37", "65, 21"})
    void matchesSoftmaxCrossEntropyInDouble(int vocab, int rows) {
        BatchBuffers b = buffers(vocab, rows, 11);
        double[][] logits = new double[rows][vocab];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < vocab; j++) logits[r][j] = b.logits.data()[b.logits.row(r) + j];
        }
        new CrossEntropy(vocab).apply(b, 0, rows, true);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits[r]) max = Math.max(max, l);
            double sum = 0;
            for (double l : logits[r]) sum += Math.exp(l - max);
            double expected = Math.log(sum) - (logits[r][b.target[r]] - max);
            if (Math.abs(b.rowLoss[r] - expected) > BOUND * Math.max(1, expected)) {
                fail("loss of row " + r + ": expected " + expected + ", got " + b.rowLoss[r]);
            }
            for (int j = 0; j < vocab; j++) {
                double dl = b.lossWeight[r] * (Math.exp(logits[r][j] - max) / sum - (j == b.target[r] ? 1 : 0));
                double got = b.logits.data()[b.logits.row(r) + j];
                if (Math.abs(got - dl) > BOUND) fail("dL/dlogits[" + r + ", " + j + "]: expected " + dl + ", got " + got);
            }
            for (int j = vocab; j < b.logits.stride(); j++) {
                assertEquals(0f, b.logits.data()[b.logits.row(r) + j], "padding of row " + r + " stays 0");
            }
        }
    }

    /** Buffers of {@code rows} rows with random logits (padding 0), targets and loss weights. */
    private static BatchBuffers buffers(int vocab, int rows, long seed) {
        ModelConfig config = new ModelConfig(vocab, 8, 2, 1, 8, ModelConfig.DEFAULT_INIT_STD);
        BatchBuffers b = new BatchBuffers(config, rows, false);
        Random random = new Random(seed);
        for (int r = 0; r < rows; r++) {
            b.target[r] = random.nextInt(vocab);
            b.lossWeight[r] = 0.01f + random.nextFloat();
            for (int j = 0; j < vocab; j++) b.logits.data()[b.logits.row(r) + j] = (float) (3 * random.nextGaussian());
        }
        return b;
    }

    private static void sameFloat(String what, int r, int j, float expected, float actual) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(what + " [" + r + ", " + j + "]: one row at a time " + expected + ", in a range " + actual);
        }
    }
}
