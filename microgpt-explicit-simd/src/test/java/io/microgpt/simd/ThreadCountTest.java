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

    /**
     * Steps of 112 rows on a machine where a step takes {@code serial} on one thread and {@code parallel} on all,
     * plus {@code cold} for each of the first two steps after a change of mode (parked workers, cold caches).
     */
    private static final class Machine {
        final ManualClock clock = new ManualClock();
        final ThreadPolicy policy = new ThreadPolicy(2, true, 64, clock);
        long serial;
        long parallel;
        final long cold;
        private int lastThreads = 1;
        private int sameModeSteps;

        Machine(long serial, long parallel, long cold) {
            this.serial = serial;
            this.parallel = parallel;
            this.cold = cold;
        }

        /** Runs a step; returns its threads. */
        int step() {
            int t = policy.threadsFor(112, 4);
            sameModeSteps = t == lastThreads ? sameModeSteps + 1 : 1;
            lastThreads = t;
            ThreadCountTest.step(policy, clock, t, 112, (t > 1 ? parallel : serial) + (sameModeSteps <= 2 ? cold : 0));
            return t;
        }

        /** Runs n steps; returns how many ran on all threads. */
        int parallelSteps(int n) {
            int count = 0;
            for (int i = 0; i < n; i++) if (step() > 1) count++;
            return count;
        }
    }

    @Test
    void automaticChoiceUsesOneThreadForSmallSteps() {
        ManualClock clock = new ManualClock();
        ThreadPolicy policy = new ThreadPolicy(2, true, 16, clock);
        assertEquals(1, policy.threadsFor(28, 4), "4 names at n_embd 16 (28 x 16^2 < 16,384): too little work to share");
        assertEquals(1, policy.threadsFor(112, 1), "never more threads than parts");
        assertEquals(1, policy.threadsFor(112, 4), "one thread until the other mode has been tried");
    }

    /** The first steps of a trial pay for waking the workers; judged on the later ones, all threads win. */
    @Test
    void aTrialIsJudgedAfterItsFirstStepsSoColdWorkersDoNotHideTheGain() {
        Machine m = new Machine(1_000, 600, 4_000);
        assertEquals(0, m.parallelSteps(ThreadPolicy.FIRST_INTERVAL), "one thread until the first trial");
        assertEquals(2, m.step(), "then all threads are tried");
        m.parallelSteps(ThreadPolicy.SETTLING_STEPS + ThreadPolicy.JUDGED_STEPS - 1);
        int parallel = m.parallelSteps(4_000);
        assertTrue(parallel > 4_000 - 100, "all threads kept but for a few short trials of one: " + parallel);
    }

    /** With few rows a step (one document), a block of judged steps runs on until it holds enough rows. */
    @Test
    void aBlockOfShortStepsRunsOnUntilItHoldsEnoughRows() {
        ManualClock clock = new ManualClock();
        ThreadPolicy policy = new ThreadPolicy(2, true, 128, clock);
        int steps = 0;
        while (policy.threadsFor(7, 4) == 1) {
            step(policy, clock, 1, 7, 1_000);
            steps++;
        }
        int perBlock = (ThreadPolicy.JUDGED_ROWS + 6) / 7;
        assertEquals(ThreadPolicy.SETTLING_STEPS + 2 * perBlock, steps, "the first trial after the first block of 50 steps or more");
        int trial = 0;
        while (policy.threadsFor(7, 4) == 2) {
            step(policy, clock, 2, 7, 2_000);
            trial++;
        }
        assertEquals(ThreadPolicy.SETTLING_STEPS + perBlock, trial, "a trial of 7-row steps lasts 2 + 256 / 7 steps");
    }

    /** Where all threads are only a little faster than one, one is kept, and its trials grow rare. */
    @Test
    void oneThreadIsKeptUnlessAllAreClearlyFasterAndTrialsGrowRare() {
        Machine m = new Machine(1_000, 950, 4_000);
        int parallel = m.parallelSteps(10_000);
        int trials = parallel / (ThreadPolicy.SETTLING_STEPS + ThreadPolicy.JUDGED_STEPS);
        assertEquals(0, parallel % (ThreadPolicy.SETTLING_STEPS + ThreadPolicy.JUDGED_STEPS), "only whole trials: " + parallel);
        assertTrue(trials >= 5 && trials <= 10, "trials every 50, 100, 200, ... 1,600 steps: " + trials);
    }

    @Test
    void automaticChoiceSwitchesWhenTheParallelModeSlowsDown() {
        Machine m = new Machine(1_000, 600, 4_000);
        m.parallelSteps(200);
        assertEquals(2, m.step());
        m.parallel = 3_000;   // the other core gets busy
        int slowParallel = 0;
        while (m.step() > 1) slowParallel++;
        assertTrue(slowParallel <= 2 * ThreadPolicy.JUDGED_STEPS, "the first whole block of slow steps brings a trial of one thread: " + slowParallel);
        assertEquals(0, m.parallelSteps(30), "the trial wins: one thread kept");
        assertTrue(m.parallelSteps(1_000) <= 50, "all threads only in trials while they are slow");
        m.parallel = 600;   // the core is free again
        assertTrue(m.parallelSteps(2_000) > 1_000, "all threads return after the next trial");
    }

    /** Steps whose count was not chosen by timing (too small to share) are not timed, however long they take. */
    @Test
    void stepsTooSmallToShareAreNotTimed() {
        Machine m = new Machine(1_000, 600, 0);
        m.parallelSteps(200);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, m.policy.threadsFor(3, 4), "3 rows x 64^2 < 16,384");
            step(m.policy, m.clock, 1, 3, 10);   // per row far faster than either mode's large steps
        }
        assertTrue(m.parallelSteps(100) >= 90, "small steps do not make one thread look faster (at most one trial of it)");
    }
}
