package io.microgpt.cli.sweep;

/**
 * What one run of a plan is expected to take, from its shape and a speed trial.
 *
 * @param run          the run
 * @param parameters   its model's parameters
 * @param memoryBytes  the heap its training needs ({@link io.microgpt.core.MemoryEstimate})
 * @param seconds      its time at the trial's pace, evaluations and warm-up included; NaN when not estimated
 * @param pace         where that pace comes from
 */
public record RunEstimate(PlannedRun run, long parameters, long memoryBytes, double seconds, Pace pace) {
    /** Where a run's time estimate comes from. */
    public enum Pace {
        /** A trial at the run's own shape. */
        MEASURED,
        /** A trial at another shape of the same backend, scaled by FLOPs per sample. */
        SCALED,
        /** Not timed: only its memory was asked for, or the run is too small to be worth a trial. */
        NONE
    }
}
