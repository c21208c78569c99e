package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.TrainingRun;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count, and the worker threads end with the engine. */
class ThreadCountTest {

    private static double[][] lossesAndWeights(int threads, int batch) {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend("simd").nEmbd(24).nHead(3).nLayer(2)
                .steps(50).batchSize(batch).engineOptions(new EngineOptions(threads)).start()) {
            double[] losses = new double[50];
            for (int i = 0; i < 50; i++) losses[i] = run.step().loss();
            return new double[][] {losses, run.engine().parameters().data()};
        }
    }

    /** Bit for bit: the same additions in the same order whichever thread does them. */
    @Test
    void oneTwoThreeAndFourThreadsGiveIdenticalLossesAndWeights() {
        for (int batch : new int[] {16, 3}) {
            double[][] one = lossesAndWeights(1, batch);
            for (int threads = 2; threads <= 4; threads++) {
                double[][] many = lossesAndWeights(threads, batch);
                assertArrayEquals(one[0], many[0], 0.0, threads + " threads, batch " + batch + ": loss sequence differs");
                assertArrayEquals(one[1], many[1], 0.0, threads + " threads, batch " + batch + ": final weights differ");
            }
        }
    }

    @Test
    void workerThreadsStopWhenTheEngineCloses() throws InterruptedException {
        SimdEngine engine = (SimdEngine) Fixtures.simd(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 1));
        engine.close();
        SimdEngine threaded = (SimdEngine) new SimdBackend().open(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 1),
                new EngineOptions(3));
        assertEquals(3, threaded.threads());
        threaded.lossAndGradient(Fixtures.batch(0, 8), new double[threaded.parameters().size()]);
        assertTrue(workersAlive() >= 2, "two workers besides the caller");
        threaded.close();
        for (int i = 0; i < 100 && workersAlive() > 0; i++) Thread.sleep(10);
        assertEquals(0, workersAlive(), "workers still alive after close");
    }

    @Test
    void automaticChoiceStaysOnOneThreadForNarrowModels() {
        assertEquals(1, SimdEngine.automaticThreads(Fixtures.config(16, 4, 1, 16)));
        int wide = SimdEngine.automaticThreads(Fixtures.config(64, 4, 1, 16));
        assertEquals(Math.min(SimdEngine.MAX_SHARDS, Runtime.getRuntime().availableProcessors()), wide);
        assertFalse(wide > SimdEngine.MAX_SHARDS);
    }

    private static long workersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("microgpt-simd-") && t.isAlive()).count();
    }
}
