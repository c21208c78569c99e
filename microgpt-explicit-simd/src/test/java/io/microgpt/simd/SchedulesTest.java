package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import org.junit.jupiter.api.Test;

/**
 * Threads sharing every phase of a step ({@link PhaseSchedule}) or taking whole parts ({@link PartSchedule}) and batches cut into chunks ({@link BatchCut}):
 * the bits depend on the cut only, never on the thread count or on how threads share the work.
 */
class SchedulesTest {
    private static final int STEPS = 6;

    /** Losses of {@value #STEPS} training steps, then the weights, then one more batch's loss and gradient. */
    private static double[][] train(ModelConfig config, int threads, int chunkRows, SimdEngine.Sharing sharing, int batch,
                                    int[] chunksSeen) {
        Parameters weights = Fixtures.weights(config, 11);
        try (SimdEngine engine = new SimdEngine(weights, new EngineOptions(threads), chunkRows, sharing)) {
            double[] losses = new double[STEPS + 1];
            for (int s = 0; s < STEPS; s++) {
                losses[s] = engine.trainStep(Fixtures.batch(20 * s, batch, 5), AdamStep.of(TrainingConfig.reference(), s));
                chunksSeen[0] = Math.max(chunksSeen[0], engine.chunks());
            }
            double[] gradient = new double[weights.size()];
            losses[STEPS] = engine.lossAndGradient(Fixtures.batch(500, batch, 5), gradient);
            return new double[][] {losses, engine.parameters().data(), gradient};
        }
    }

    private static void assertSameBits(double[][] expected, double[][] actual, String what) {
        assertArrayEquals(expected[0], actual[0], 0.0, what + ": losses differ");
        assertArrayEquals(expected[1], actual[1], 0.0, what + ": weights differ");
        assertArrayEquals(expected[2], actual[2], 0.0, what + ": gradient differs");
    }

    /** One chunk: the phase schedule over 2, 3, 4 threads gives the bits of the part schedule on one thread (today's bits). */
    @Test
    void phaseScheduleGivesTheBitsOfPartSchedule() {
        ModelConfig config = Fixtures.config(24, 3, 2, 16);
        int[] chunks = {0};
        double[][] parts = train(config, 1, 0, SimdEngine.Sharing.PARTS, 16, chunks);
        assertEquals(1, chunks[0], "16 names fit one chunk");
        for (int threads = 2; threads <= 4; threads++) {
            assertSameBits(parts, train(config, threads, 0, SimdEngine.Sharing.PHASES, 16, chunks), threads + " threads, phase schedule");
            assertSameBits(parts, train(config, threads, 0, SimdEngine.Sharing.PARTS, 16, chunks), threads + " threads, part schedule");
        }
    }

    /**
     * Several chunks (of at most 64 rows: 16 documents, one of them 75 characters, at block 64; 2 and 4
     * layers): 1, 2, 3 and 4 threads give the same bits.
     */
    @Test
    void chunkedBatchesGiveTheSameBitsForAnyThreadCount() {
        for (int layers : new int[] {2, 4}) {
            ModelConfig config = Fixtures.config(32, 4, layers, 64);
            int[] chunks = {0};
            double[][] one = train(config, 1, 64, SimdEngine.Sharing.AUTO, 16, chunks);
            assertTrue(chunks[0] >= 3, layers + " layers: " + chunks[0] + " chunk(s), expected several");
            for (int threads = 2; threads <= 4; threads++) {
                assertSameBits(one, train(config, threads, 64, SimdEngine.Sharing.AUTO, 16, chunks), layers + " layers, " + threads + " threads");
            }
        }
    }

    /** A chunk never holds more rows than it may, and the working set shrinks with the chunk. */
    @Test
    void chunksBoundTheWorkingSet() {
        ModelConfig config = Fixtures.config(32, 4, 2, 64);
        Parameters weights = Fixtures.weights(config, 3);
        long whole;
        long chunked;
        try (SimdEngine engine = new SimdEngine(weights, new EngineOptions(1), 0, SimdEngine.Sharing.AUTO)) {
            engine.trainStep(Fixtures.batch(0, 8, 5), AdamStep.of(TrainingConfig.reference(), 0));
            assertEquals(1, engine.chunks());
            whole = engine.workingSetBytes();
        }
        try (SimdEngine engine = new SimdEngine(weights, new EngineOptions(1), 64, SimdEngine.Sharing.AUTO)) {
            engine.trainStep(Fixtures.batch(0, 8, 5), AdamStep.of(TrainingConfig.reference(), 0));
            assertTrue(engine.chunks() >= 2, engine.chunks() + " chunks of at most 64 rows for 8 documents (one of 64 rows)");
            assertTrue(engine.bufferRows() <= 64, engine.bufferRows() + " rows of buffers");
            chunked = engine.workingSetBytes();
        }
        assertTrue(chunked < whole / 2, "chunked " + chunked + " bytes vs whole batch " + whole);
    }

    /** The default chunk at nanoGPT's GPU recipe shape keeps the activations within 64 MB; the CPU recipe's batch fits one chunk. */
    @Test
    void defaultChunksFitTheBudgetAtTheRecipeShapes() {
        ModelConfig gpu = new ModelConfig(65, 384, 6, 6, 256, 0.02);
        int rows = SimdFootprint.chunkRows(gpu, VectorKernels.LANES);
        assertTrue(rows >= 256 && rows < 12 * 256, rows + " rows");
        long bytes = 4 * SimdFootprint.buffersFloats(gpu, rows);
        assertTrue(bytes <= SimdEngine.CHUNK_BYTES, bytes + " bytes of activations");
        ModelConfig cpu = new ModelConfig(65, 128, 4, 4, 64, 0.02);
        assertTrue(SimdFootprint.chunkRows(cpu, VectorKernels.LANES) >= 12 * 64, "batch 12 at 4-4-128-64 is one chunk (today's bits)");
    }
}
