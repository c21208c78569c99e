package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The tape estimate counts exactly the nodes the model records, and bounds the bytes the tape takes. */
class TapeFootprintTest {
    private static final int[][] SHAPES = {{4, 1, 1, 8}, {16, 4, 1, 16}, {12, 3, 2, 10}, {8, 2, 3, 20}};

    private static int[] document(int length, int vocab) {
        int[] d = new int[length];
        for (int i = 1; i < length - 1; i++) d[i] = 1 + i % (vocab - 1);
        return d;   // BOS (0) at both ends
    }

    @Test
    void nodeCountsAreTheTapesAndBytesBoundIt() {
        for (int[] s : SHAPES) {
            ModelConfig c = new ModelConfig(7, s[0], s[1], s[2], s[3], 0.08);
            for (int positions : new int[] {1, 3, s[3]}) {
                Parameters p = Parameters.initialize(c, new PyRandom(1));
                Tape tape = new Tape(p.size(), 16, 16);
                ScalarGpt gpt = new ScalarGpt(c, tape);
                for (int pos = 0; pos < positions; pos++) gpt.forward(1, pos);
                String shape = Arrays.toString(s) + " at " + positions + " positions";
                assertEquals(TapeFootprint.forwardNodes(c, positions), tape.size() - p.size(), "nodes, " + shape);
                // edges are not counted by the tape; the byte bound below holds them to the estimate
                long recorded = tape.bytes();
                long estimated = TapeFootprint.BYTES_PER_NODE * (tape.size() + 16L) + TapeFootprint.BYTES_PER_EDGE
                        * (TapeFootprint.forwardEdges(c, positions) + 16);
                assertTrue(2 * estimated >= recorded, "bytes, " + shape + ": " + recorded + " > 2 x " + estimated);
            }
        }
    }

    @Test
    void trainingBytesBoundTheEnginesTape() {
        for (int[] s : SHAPES) {
            ModelConfig c = new ModelConfig(7, s[0], s[1], s[2], s[3], 0.08);
            for (int batch : new int[] {1, 3}) {
                int positions = s[3];
                int[][] docs = new int[batch][];
                for (int i = 0; i < batch; i++) docs[i] = document(positions + 1, c.vocabSize());
                try (ScalarEngine engine = new ScalarEngine(Parameters.initialize(c, new PyRandom(1)))) {
                    engine.trainStep(docs, AdamStep.of(TrainingConfig.reference(), 0));
                    long real = engine.workingSetBytes();
                    long estimate = TapeFootprint.training(c, batch, positions).bytes();
                    String shape = Arrays.toString(s) + " batch " + batch;
                    assertTrue(estimate >= real, shape + ": estimated " + estimate + " < real " + real);
                    assertTrue(estimate <= 4 * real, shape + ": estimated " + estimate + " > 4 x real " + real);
                }
            }
        }
    }
}
