package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.EngineOptions;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count, and the worker threads end with the engine. */
class ThreadCountTest {

    private static double[][] lossesAndWeights(int threads, int batch) {
        return lossesAndWeights(24, 3, threads, batch, 50);
    }

    private static double[][] lossesAndWeights(int nEmbd, int nHead, int threads, int batch, int steps) {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend("simd").nEmbd(nEmbd).nHead(nHead).nLayer(2)
                .steps(steps).batchSize(batch).engineOptions(new EngineOptions(threads)).start()) {
            double[] losses = new double[steps];
            for (int i = 0; i < steps; i++) losses[i] = run.step().loss();
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

    /** From n_embd 128 on threads share every phase of a step by default: the same bits at any thread count. */
    @Test
    void sharedPhasesGiveIdenticalLossesAndWeightsForAnyThreadCount() {
        assertTrue(SimdEngine.sharesPhases(Fixtures.config(128, 4, 2, 16)), "n_embd 128 shares phases");
        double[][] one = lossesAndWeights(128, 4, 1, 16, 12);
        for (int threads = 2; threads <= 4; threads++) {
            double[][] many = lossesAndWeights(128, 4, threads, 16, 12);
            assertArrayEquals(one[0], many[0], 0.0, threads + " threads: loss sequence differs");
            assertArrayEquals(one[1], many[1], 0.0, threads + " threads: final weights differ");
        }
    }

    /**
     * One long document and three one-letter ones: the rows-balanced cut leaves two parts empty (after a batch
     * that filled every part's buffer, which must then not count).
     */
    @Test
    void emptyPartsChangeNothing() {
        int[][] batch = {Fixtures.batch(0, 1)[0], {0, 1, 0}, {0, 2, 0}, {0, 3, 0}};
        double[][] gradients = new double[4][];
        double[] losses = new double[4];
        for (int threads = 1; threads <= 3; threads++) {
            try (io.microgpt.core.spi.Engine engine = new SimdBackend().open(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 4),
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
    void workerThreadsStopWhenTheEngineCloses() {
        SimdEngine threaded = (SimdEngine) new SimdBackend().open(Fixtures.weights(Fixtures.config(16, 4, 1, 16), 1),
                new EngineOptions(3));
        assertEquals(3, threaded.threads());
        threaded.lossAndGradient(Fixtures.batch(0, 8), new double[threaded.parameters().size()]);
        assertEquals(2, threaded.liveWorkers(), "two workers besides the caller");
        threaded.close();   // joins each worker (for up to a second)
        assertEquals(0, threaded.liveWorkers(), "workers still alive after close");
    }

    @Test
    void automaticCountIsTheProcessorsUpToTheParts() {
        int processors = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(1, Math.min(SimdEngine.MAX_THREADS, processors)), SimdEngine.automaticThreads());
    }

    /** A clock the test moves by hand: each step "takes" whatever the test says. */
    private static final class ManualClock implements java.util.function.LongSupplier {
        long now;

        @Override
        public long getAsLong() {
            return now;
        }
    }

    private static void step(ThreadPolicy policy, ManualClock clock, int threads, int rows, long duration) {
        policy.stepStarted();
        clock.now += duration;
        policy.stepFinished(threads, rows);
    }

    @Test
    void explicitCountIsObeyedUpToTheParts() {
        ThreadPolicy policy = new ThreadPolicy(2, false, 16, new ManualClock());
        assertEquals(2, policy.threadsFor(28, 4), "even for a step too small to share");
        assertEquals(1, policy.threadsFor(112, 1), "never more threads than parts");
    }

    @Test
    void automaticChoiceUsesOneThreadForSmallStepsThenTheFasterMode() {
        ManualClock clock = new ManualClock();
        ThreadPolicy policy = new ThreadPolicy(2, true, 16, clock);
        assertEquals(1, policy.threadsFor(28, 4), "4 names at n_embd 16 (28 x 16^2 < 16,384): too little work to share");
        assertEquals(1, policy.threadsFor(112, 1), "never more threads than parts");
        assertEquals(2, policy.threadsFor(112, 4), "first the parallel mode is timed");
        step(policy, clock, 2, 112, 600);
        assertEquals(1, policy.threadsFor(112, 4), "then one thread");
        step(policy, clock, 1, 112, 1_000);
        int parallel = 0;
        for (int i = 0; i < 2 * ThreadPolicy.PROBE_INTERVAL; i++) {
            int t = policy.threadsFor(112, 4);
            step(policy, clock, t, 112, t > 1 ? 600 : 1_000);
            if (t > 1) parallel++;
        }
        assertEquals(2 * ThreadPolicy.PROBE_INTERVAL - 2, parallel, "the faster (parallel) mode, but for one probe of one thread per interval");
    }

    @Test
    void automaticChoiceSwitchesWhenTheParallelModeSlowsDown() {
        ManualClock clock = new ManualClock();
        ThreadPolicy policy = new ThreadPolicy(2, true, 64, clock);
        step(policy, clock, policy.threadsFor(112, 4), 112, 600);
        step(policy, clock, policy.threadsFor(112, 4), 112, 1_000);
        assertEquals(2, policy.threadsFor(112, 4));
        // the other core gets busy: parallel steps now take 3x as long; the median of three sees it after two
        step(policy, clock, 2, 112, 3_000);
        assertEquals(2, policy.threadsFor(112, 4), "one slow step is not enough (of two timings the smaller counts)");
        step(policy, clock, 2, 112, 3_000);
        assertEquals(1, policy.threadsFor(112, 4), "median of 600, 3000, 3000 exceeds one thread's 1000");
    }
}
