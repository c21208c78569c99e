package io.microgpt.core;

/**
 * What one training step did.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param step         1-based step number
 * @param totalSteps   the run's planned step count
 * @param loss         the step's loss (before its update)
 * @param learningRate the learning rate the step used
 * @param batchSize    documents in the step
 * @param stepNanos    wall time of the step
 * @param elapsedNanos wall time since the run (or its resumption) started
 */
public record StepReport(int step, int totalSteps, double loss, double learningRate, int batchSize,
                         long stepNanos, long elapsedNanos) {

    /** Microseconds per training sample (document) in this step. */
    public double microsPerSample() {
        return stepNanos / 1000.0 / batchSize;
    }
}
