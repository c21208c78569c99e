package io.microgpt.cli;

import io.microgpt.core.StepReport;

/**
 * Where training stands after one step, as the progress display, the metrics file and the chart see it.
 *
 * @param step                  what the step did
 * @param smoothedLoss          the smoothed loss after it ({@link LossSmoother})
 * @param validationLoss        the held-out loss computed after this step, NaN if none was
 * @param validationBits        its bits per character, NaN if none was computed
 * @param wallNanos             wall time since training started in this process (evaluations included)
 * @param stepsThisRun          steps done since then
 * @param recentNanosPerStep    recent wall time per step ({@link RecentRate}), NaN while warming up
 * @param recentNanosPerSample  recent computation time per sample, NaN while warming up
 */
record Progress(StepReport step, double smoothedLoss, double validationLoss, double validationBits, long wallNanos, int stepsThisRun,
                double recentNanosPerStep, double recentNanosPerSample) {

    boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    boolean isLast() {
        return step.step() >= step.totalSteps();
    }

    /** Mean microseconds of training computation per sample (document) since training started. */
    double microsPerSample() {
        return step.elapsedNanos() / 1000.0 / ((double) stepsThisRun * step.batchSize());
    }

    /** Samples (documents) trained per second of wall time since training started. */
    double samplesPerSecond() {
        return wallNanos <= 0 ? 0 : (double) stepsThisRun * step.batchSize() / (wallNanos / 1e9);
    }

    /** Whether there is no recent rate yet: the start of the run, while the JIT compiles. */
    boolean warmingUp() {
        return Double.isNaN(recentNanosPerStep);
    }

    /** Recent microseconds of computation per sample. */
    double recentMicrosPerSample() {
        return recentNanosPerSample / 1000.0;
    }

    /** Recent samples per second of wall time. */
    double recentSamplesPerSecond() {
        return step.batchSize() * 1e9 / recentNanosPerStep;
    }

    /** Estimated wall time to the last step, at the recent pace. */
    long etaNanos() {
        long remaining = Math.max(0, step.totalSteps() - step.step());
        return (long) (recentNanosPerStep * remaining);
    }
}
