package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The simd estimate is at or above what the engine really allocates, and catches sizes that overflow an int. */
class SimdFootprintTest {

    @Test
    void theEstimateBoundsTheBuffersTheEngineAllocates() {
        int[][] shapes = {{8, 2, 1, 8, 1}, {16, 4, 1, 16, 16}, {24, 3, 2, 12, 5}, {64, 4, 1, 16, 16}, {12, 1, 3, 40, 3}};
        for (int[] s : shapes) {
            ModelConfig config = Fixtures.config(s[0], s[1], s[2], s[3]);
            int batch = s[4];
            try (Engine engine = new SimdBackend().open(Fixtures.weights(config, 1))) {
                engine.trainStep(Fixtures.batch(0, batch), AdamStep.of(TrainingConfig.reference(), 0));
                long real = engine.workingSetBytes();
                long embeddings = (long) (config.vocabSize() + config.blockSize()) * ((config.nEmbd() + 15) / 16 * 16);
                long buffers = 4 * (SimdFootprint.buffersFloats(config, (long) batch * config.blockSize())
                        + SimdEngine.MAX_THREADS * SimdFootprint.scratchFloats(config) + (SimdEngine.MAX_THREADS + 1) * embeddings);
                // at or above, and not wildly above: padding to 16 lanes is the only excess
                assertTrue(buffers >= real, java.util.Arrays.toString(s) + ": estimated " + buffers + " < real " + real);
                assertTrue(buffers <= 3 * real, java.util.Arrays.toString(s) + ": estimated " + buffers + " > 3 x real " + real);
                assertTrue(SimdFootprint.training(config, batch).bytes() > buffers, "the weights' copies come on top");
            }
        }
    }

    /** A batch longer than a chunk is estimated at a chunk's buffers (plus the weights' copies), not the batch's. */
    @Test
    void aChunkedBatchIsEstimatedAtOneChunk() {
        ModelConfig gpu = new ModelConfig(27, 384, 6, 6, 256, 0.02);
        long chunk = 4 * SimdFootprint.buffersFloats(gpu, SimdFootprint.chunkRows(gpu, 4));
        long whole = 4 * SimdFootprint.buffersFloats(gpu, 12 * 256);
        long estimate = SimdFootprint.training(gpu, 12).bytes();
        long weights = 4 * SimdFootprint.weightsFloats(gpu) * 5;
        assertTrue(estimate >= chunk + weights, "estimate " + estimate + " < one chunk " + chunk + " + weights " + weights);
        assertTrue(estimate < whole + weights, "estimate " + estimate + " holds the whole batch's " + whole + " beside the weights");
        assertEquals(SimdFootprint.training(gpu, 12).bytes() - 8 * 13, SimdFootprint.training(gpu, 24).bytes() - 8 * 25,
                "beyond a chunk the batch adds only its documents' ints");
    }

    /** Attention works in tiles of queries: sampling's largest array grows as block x heads x lanes, never block^2. */
    @Test
    void aBlockSizeWhoseTileOverflowsAnArrayIsRefusedBeforeAllocating() {
        ModelConfig fits = new ModelConfig(27, 16, 4, 1, 30_000, 0.08);
        assertEquals(30_000L * 4 * SimdFootprint.MAX_LANES, SimdFootprint.sampling(fits).largestArray(),
                "one tile of attention weights: block x heads x lanes");
        for (int block : new int[] {40_000_000, Integer.MAX_VALUE / 2}) {
            ModelConfig config = new ModelConfig(27, 16, 4, 1, block, 0.08);
            MicrogptException e = assertThrows(MicrogptException.class,
                    () -> MemoryEstimate.sampling(new SimdBackend(), config).check(Long.MAX_VALUE));
            assertTrue(e.getMessage().startsWith("sampling would need an array of "), e.getMessage());
            assertTrue(e.getMessage().endsWith("more than the 2,147,483,639 a Java array holds: try another --backend"),
                    e.getMessage());
        }
    }
}
