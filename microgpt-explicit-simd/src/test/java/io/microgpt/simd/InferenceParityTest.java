package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.Parameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KV-cached next-token logits agree with the scalar backend's at every position of a full context (f32:
 * bound 1e-5 x the largest |logit| of the position, ~100x the expected rounding), and the stream refuses to
 * go past the block.
 */
class InferenceParityTest {

    @ParameterizedTest(name = "n_embd {0}, n_layer {1}, block {2}")
    @CsvSource({"16, 1, 16", "20, 2, 8", "64, 1, 16", "32, 3, 64", "128, 1, 16"})
    void logitsMatchScalarAtEveryPosition(int nEmbd, int nLayer, int blockSize) {
        ModelConfig config = Fixtures.config(nEmbd, 4, nLayer, blockSize);
        Parameters weights = Fixtures.weights(config, 5);
        int[] tokens = Fixtures.batch(0, 1, 5)[0];   // 77 tokens: more than any block here
        try (Engine scalar = Fixtures.scalar(weights); Engine simd = Fixtures.simd(weights)) {
            LogitStream expectedStream = scalar.openStream();
            LogitStream actualStream = simd.openStream();
            for (int pos = 0; pos < blockSize; pos++) {
                double[] expected = expectedStream.next(tokens[pos]);
                double[] actual = actualStream.next(tokens[pos]);
                double largest = 0;
                for (double v : expected) largest = Math.max(largest, Math.abs(v));
                for (int j = 0; j < expected.length; j++) {
                    if (Math.abs(actual[j] - expected[j]) > 1e-5 * largest) {
                        fail("position " + pos + ", token " + j + ": simd logit " + actual[j] + " vs scalar " + expected[j]);
                    }
                }
            }
            assertEquals(blockSize, actualStream.position());
            assertThrows(MicrogptException.class, () -> actualStream.next(tokens[0]));
            actualStream.reset();
            expectedStream.reset();
            assertEquals(expectedStream.next(tokens[0])[3], actualStream.next(tokens[0])[3], 1e-5);
        }
    }
}
