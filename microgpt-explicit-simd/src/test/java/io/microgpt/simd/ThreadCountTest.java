package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.AdamStep;
import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.TrainingConfig;
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

    /**
     * One long document and three one-letter ones: the rows-balanced cut leaves two shards empty (after a batch
     * that filled every shard's buffer, which must then not count).
     */
    @Test
    void emptyShardsChangeNothing() {
        int[][] batch = {Fixtures.batch(0, 1)[0], {0, 1, 0}, {0, 2, 0}, {0, 3, 0}};
        double[][] gradients = new double[4][];
        double[] losses = new double[4];
        for (int threads = 1; threads <= 3; threads++) {
            try (io.microgpt.core.Engine engine = new SimdBackend().open(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 4),
                    new EngineOptions(threads))) {
                gradients[threads] = new double[engine.parameters().size()];
                engine.lossAndGradient(Fixtures.batch(0, 8), gradients[threads]);
                losses[threads] = engine.lossAndGradient(batch, gradients[threads]);
            }
        }
        for (int threads = 2; threads <= 3; threads++) {
            assertEquals(losses[1], losses[threads], 0.0);
            assertArrayEquals(gradients[1], gradients[threads], 0.0, threads + " threads");
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
    void automaticChoiceUsesOneThreadForSmallStepsAndTimesBothModes() {
        int processors = Math.min(SimdEngine.MAX_SHARDS, Runtime.getRuntime().availableProcessors());
        assertEquals(processors, SimdEngine.automaticThreads());
        try (SimdEngine automatic = (SimdEngine) Fixtures.simd(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 1));
             SimdEngine explicit = (SimdEngine) new SimdBackend().open(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 1),
                     new EngineOptions(2))) {
            assertEquals(1, automatic.threadsFor(28, 4), "4 names at n_embd 16: too little work to share");
            assertEquals(1, automatic.threadsFor(112, 1), "never more threads than shards");
            assertEquals(2, explicit.threadsFor(28, 4), "an explicit count is obeyed");
            if (processors > 1) {
                assertEquals(processors, automatic.threadsFor(112, 4), "first the parallel mode is timed");
                automatic.trainStep(Fixtures.batch(0, 16), AdamStep.of(TrainingConfig.reference(), 0));
                assertEquals(1, automatic.threadsFor(112, 4), "then one thread");
                automatic.trainStep(Fixtures.batch(16, 16), AdamStep.of(TrainingConfig.reference(), 1));
                int seen = 0;
                for (int i = 0; i < 2 * SimdEngine.PROBE_INTERVAL; i++) seen |= automatic.threadsFor(112, 4) > 1 ? 2 : 1;
                assertEquals(3, seen, "the faster mode is used and the other timed again now and then");
            }
        }
    }

    private static long workersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("microgpt-simd-") && t.isAlive()).count();
    }
}
