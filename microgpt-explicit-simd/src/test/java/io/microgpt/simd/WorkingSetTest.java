package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import org.junit.jupiter.api.Test;

/** The activation buffers stay small: the benchmark issue's target is at most 8 MB at n_embd 64, batch 16. */
class WorkingSetTest {

    @Test
    void activationBuffersAtWidth64AndBatch16FitIn8Megabytes() {
        ModelConfig config = Fixtures.config(64, 4, 1, 16);
        try (Engine engine = new SimdBackend().open(Fixtures.weights(config, 1))) {
            // documents longer than the block: the most rows a batch of 16 can have
            engine.trainStep(Fixtures.batch(0, 16), AdamStep.of(TrainingConfig.reference(), 0));
            long bytes = engine.workingSetBytes();
            assertTrue(bytes > 16 * 16 * 64 * 4, "reported " + bytes + " bytes: less than one activation matrix");
            assertTrue(bytes <= 8_000_000, "activation buffers take " + bytes + " bytes");
        }
    }
}
