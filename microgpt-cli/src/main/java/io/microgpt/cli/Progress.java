package io.microgpt.cli;

import io.microgpt.core.StepReport;

/**
 * Where training stands after one step, as the progress display, the metrics file and the chart see it.
 *
 * @param step           what the step did
 * @param smoothedLoss   the smoothed loss after it ({@link LossSmoother})
 * @param validationLoss the held-out loss computed after this step, NaN if none was
 * @param wallNanos      wall time since training started in this process (evaluations included)
 * @param stepsThisRun   steps done since then
 */
record Progress(StepReport step, double smoothedLoss, double validationLoss, long wallNanos, int stepsThisRun) {

    boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    boolean isLast() {
        return step.step() >= step.totalSteps();
    }

    /** Mean microseconds of training computation per sample (document) so far. */
    double microsPerSample() {
        return step.elapsedNanos() / 1000.0 / ((double) stepsThisRun * step.batchSize());
    }

    /** Samples (documents) trained per second of wall time so far. */
    double samplesPerSecond() {
        return wallNanos <= 0 ? 0 : (double) stepsThisRun * step.batchSize() / (wallNanos / 1e9);
    }

    /** Estimated wall time to the last step, at the pace so far. */
    long etaNanos() {
        long remaining = Math.max(0, step.totalSteps() - step.step());
        return (long) ((double) wallNanos / stepsThisRun * remaining);
    }
}
