package io.microgpt.cli.sweep;

/**
 * What one run of a plan is expected to take, from its shape and a short speed trial.
 *
 * @param run          the run
 * @param parameters   its model's parameters
 * @param memoryBytes  the heap its training needs ({@link io.microgpt.core.MemoryEstimate})
 * @param seconds      its computation time at the trial's pace, evaluations included; NaN when not estimated
 * @param measured     whether that pace was measured at the run's own shape (else scaled by FLOPs from another)
 */
public record RunEstimate(PlannedRun run, long parameters, long memoryBytes, double seconds, boolean measured) {
}
