package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelBudgetTest {

    @Test
    void vocabularyUpTo65536TokensIsAccepted() {
        assertDoesNotThrow(() -> ModelBudget.check("f", 65_536, 16, 1, 16, Long.MAX_VALUE));
        MicrogptException e = assertThrows(MicrogptException.class, () -> ModelBudget.check("f", 65_537, 16, 1, 16, Long.MAX_VALUE));
        assertEquals("f has 65,536 distinct characters, more than the 65,535 a character-level vocabulary allows"
                + " (is it one-document-per-line text?): use a text with fewer distinct characters", e.getMessage());
    }

    @Test
    void memoryCountsWeightsGradientsAndBothAdamMoments() {
        // The reference model: 4,192 parameters x 32 bytes = 134,144 bytes.
        assertDoesNotThrow(() -> ModelBudget.check("f", 27, 16, 1, 16, 134_144));
        MicrogptException e = assertThrows(MicrogptException.class, () -> ModelBudget.check("f", 27, 16, 1, 16, 134_143));
        assertEquals("the model needs 4,192 parameters (vocab 27, n_embd 16, n_layer 1, block_size 16), about 134 kB for weights, gradients"
                + " and Adam state, more than the 134 kB this JVM may use: lower n_embd or n_layer, use a text with fewer"
                + " distinct characters, or raise the heap (CLI: MICROGPT_JAVA_OPTS=-Xmx...)", e.getMessage());
    }

    @Test
    void aRunChecksBeforeAllocatingAnything() {
        Dataset wide = Dataset.of("wide", List.of("abc"));
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> TrainingRun.builder(wide).nEmbd(12_800).backend(new Backend() {
                    @Override
                    public String name() {
                        return "never-opened";
                    }

                    @Override
                    public String description() {
                        return "fails the test if opened";
                    }

                    @Override
                    public int defaultBatchSize() {
                        return 1;
                    }

                    @Override
                    public DType precision() {
                        return DType.F64;
                    }

                    @Override
                    public Engine open(Parameters initial, EngineOptions options) {
                        throw new AssertionError("opened");
                    }
                }).start());
        assertTrue(e.getMessage().startsWith("the model needs 1,966,387,200 parameters"), e.getMessage());
    }
}
