package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The transposed copies after training steps (Adam updates each tensor, then its copy is refreshed), compared
 * with the transpose of the updated weights element by element, padding included (lanes past a copy's rows hold
 * 0), on one thread and on two (where threads update whole tensors each). Shapes whose row counts are not whole
 * vectors (vocab 27, n_embd 20, mlp 80) and strides that get an extra vector (n_embd 64 and 16: copies 64 and 256
 * wide); the build runs this class at 128 and 256 bits too.
 */
class SimdWeightsTest {

    @Test
    void transposedCopiesAreTheTransposeOfTheWeightsAfterEachStep() {
        for (ModelConfig config : new ModelConfig[] {Fixtures.config(20, 4, 2, 8), Fixtures.config(64, 4, 1, 16),
            Fixtures.config(16, 4, 1, 16)}) {
            for (int threads = 1; threads <= 2; threads++) {
                try (SimdEngine engine = (SimdEngine) new SimdBackend().open(Fixtures.weights(config, 7), new EngineOptions(threads))) {
                    TrainingConfig training = TrainingConfig.reference().withSteps(10);
                    for (int t = 0; t < 3; t++) {
                        float[] before = engine.weights().values.clone();
                        engine.trainStep(Fixtures.batch(10 * t, 4), AdamStep.of(training, t));
                        assertTrue(!Arrays.equals(before, engine.weights().values), "the step moved the weights");
                        assertTransposed(config, engine.weights(), threads + " thread(s), step " + (t + 1));
                        // and both ways of refreshing, whichever this width uses (register blocks at 16 and 8 lanes)
                        for (boolean inBlocks : new boolean[] {true, false}) {
                            if (inBlocks && !BlockTranspose.IN_BLOCKS_WORKS) continue;
                            for (int s = 0; s < 1 + 6 * config.nLayer(); s++) engine.weights().refreshTransposed(s, inBlocks);
                            assertTransposed(config, engine.weights(), (inBlocks ? "register blocks" : "gathers") + ", step " + (t + 1));
                        }
                    }
                }
            }
        }
    }

    private static void assertTransposed(ModelConfig config, SimdWeights w, String when) {
        int e = config.nEmbd();
        int f = config.mlpDim();
        assertTranspose(w.master.lmHead(), w.lmHeadT, config.vocabSize(), e, "lm_head, " + when);
        for (int l = 0; l < config.nLayer(); l++) {
            TensorViews.LayerViews m = w.master.layers()[l];
            TensorViews.LayerViews t = w.transposed[l];
            String at = "layer " + l + ", " + when;
            assertTranspose(m.wq(), t.wq(), e, e, "wq, " + at);
            assertTranspose(m.wk(), t.wk(), e, e, "wk, " + at);
            assertTranspose(m.wv(), t.wv(), e, e, "wv, " + at);
            assertTranspose(m.wo(), t.wo(), e, e, "wo, " + at);
            assertTranspose(m.fc1(), t.fc1(), f, e, "fc1, " + at);
            assertTranspose(m.fc2(), t.fc2(), e, f, "fc2, " + at);
        }
    }

    /** target[c, r] == source[r, c] for the source's rows x cols, and the target's padding lanes (r >= rows) 0. */
    private static void assertTranspose(Panels source, Panels target, int rows, int cols, String what) {
        assertEquals(cols, target.rows(), what + ": rows of the copy");
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < target.width(); r++) {
                float expected = r < rows ? source.data()[source.index(r, c)] : 0f;
                float actual = target.data()[target.index(c, r)];
                assertEquals(expected, actual, 0f, what + ": transposed [" + c + ", " + r + "]");
            }
        }
    }
}
