package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tape-free inference stream against the tape's forward pass ({@link ScalarGpt#forward}), which training uses
 * and which matches microgpt.py: the same logits bit for bit at every position, for several shapes (more layers
 * and heads than the reference, the full block) and random tokens, and again after {@link LogitStream#reset()}.
 */
class ScalarLogitStreamTest {

    private static void checkAgainstTape(ModelConfig config, long seed) {
        Parameters weights = Parameters.initialize(config, new PyRandom(seed));
        Tape tape = new Tape(weights.size(), weights.size() * 4, weights.size() * 16);
        System.arraycopy(weights.data(), 0, tape.values(), 0, weights.size());
        ScalarGpt gpt = new ScalarGpt(config, tape);
        LogitStream stream = new ScalarLogitStream(config, weights.data());
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2; round++) {   // the second round checks that reset() forgets the context
            tape.reset();
            stream.reset();
            for (int pos = 0; pos < config.blockSize(); pos++) {
                int token = random.nextInt(config.vocabSize());
                int run = gpt.forward(token, pos);
                double[] logits = stream.next(token);
                assertEquals(pos + 1, stream.position());
                for (int i = 0; i < config.vocabSize(); i++) {
                    assertEquals(tape.value(run + i), logits[i],
                            config + " round " + round + ", position " + pos + ", logit " + i + " (0 tolerance: same operations)");
                }
            }
        }
    }

    @Test
    void logitsAreTheTapesBitForBit() {
        checkAgainstTape(ModelConfig.reference(27), 42);
        checkAgainstTape(new ModelConfig(11, 12, 3, 2, 7, 0.3), 7);
        checkAgainstTape(new ModelConfig(5, 8, 1, 3, 5, 1.0), 3);
    }

    @Test
    void theStreamIsASnapshotOfTheWeights() {
        ModelConfig config = ModelConfig.reference(27);
        Parameters weights = Parameters.initialize(config, new PyRandom(1));
        LogitStream stream = new ScalarLogitStream(config, weights.data());
        double before = stream.next(0)[3];
        java.util.Arrays.fill(weights.data(), 0.5);
        stream.reset();
        assertEquals(before, stream.next(0)[3], "changing the engine's weights afterwards does not reach the stream");
    }

    @Test
    void aFullContextOrAForeignTokenIsRefused() {
        ModelConfig config = new ModelConfig(5, 8, 2, 1, 2, 0.08);
        LogitStream stream = new ScalarLogitStream(config, Parameters.initialize(config, new PyRandom(1)).data());
        assertEquals("token 5 is outside the vocabulary 0..4",
                assertThrows(MicrogptException.class, () -> stream.next(5)).getMessage());
        stream.next(0);
        stream.next(1);
        assertEquals("the context is full: the model sees at most 2 tokens",
                assertThrows(MicrogptException.class, () -> stream.next(0)).getMessage());
        stream.reset();
        assertEquals(0, stream.position());
        stream.next(0);
        assertEquals(1, stream.position());
    }
}
