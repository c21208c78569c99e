package io.microgpt.cli;

import io.microgpt.core.SpeedTrial;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.spi.Backend;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Times training steps of one backend on one {@link SpeedTrial}: a warm-up in chunks until the rate is steady
 * ({@link WarmUp}), then timed rounds of whole steps, each round lasting at least the given time and at least
 * one step. Used by {@code bench} and by the sweep's time estimates. Not thread-safe: one measurement at a time.
 */
public final class TrainingTimer {
    /** A warm-up chunk lasts a round, but at least this long and at most {@link #MAX_CHUNK_SECONDS}. */
    static final double MIN_CHUNK_SECONDS = 0.1;
    static final double MAX_CHUNK_SECONDS = 0.5;

    private final long roundNanos;
    private final int rounds;
    private final double maxWarmupSeconds;

    /**
     * @param roundSeconds     length of each timed round
     * @param rounds           number of timed rounds
     * @param maxWarmupSeconds the longest warm-up (it ends sooner once the rate is steady)
     */
    public TrainingTimer(double roundSeconds, int rounds, double maxWarmupSeconds) {
        this.roundNanos = (long) (roundSeconds * 1e9);
        this.rounds = rounds;
        this.maxWarmupSeconds = maxWarmupSeconds;
    }

    /** Warms up, times the rounds and reports them. */
    public SpeedMeasurement measure(Backend backend, SpeedTrial trial) {
        try (TrainingRun run = trial.open(backend)) {
            int batch = trial.batch();
            long chunkNanos = (long) (1e9 * Math.min(MAX_CHUNK_SECONDS, Math.max(MIN_CHUNK_SECONDS, roundNanos / 1e9)));
            WarmUp warmUp = new WarmUp(WarmUp.MIN_SECONDS, maxWarmupSeconds);
            boolean over;
            do {
                long jit = jitMillis();
                long start = System.nanoTime();
                int steps = SpeedTrial.trainFor(run, chunkNanos);
                long elapsed = System.nanoTime() - start;
                over = warmUp.add(elapsed / 1e3 / ((double) steps * batch), elapsed / 1e9, (jitMillis() - jit) / 1e3);
            } while (!over);
            double[] micros = new double[rounds];
            int fewestSteps = Integer.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                int steps = SpeedTrial.trainFor(run, roundNanos);
                long elapsed = System.nanoTime() - start;
                micros[r] = elapsed / 1e3 / ((double) steps * batch);
                fewestSteps = Math.min(fewestSteps, steps);
            }
            return new SpeedMeasurement(backend.name(), trial.nEmbd(), batch, micros, run.engine().workingSetBytes(),
                    SpeedTrial.flopsPerSample(run), warmUp.seconds(), warmUp.stable(), fewestSteps);
        }
    }

    /** Milliseconds the JIT has spent compiling in this JVM, 0 when the JVM does not say. */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }
}
