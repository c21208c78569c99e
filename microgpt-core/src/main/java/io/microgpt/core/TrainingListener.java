package io.microgpt.core;

/**
 * Told about every training step as it completes; how an application drives its own progress display.
 *
 * <p>Called on the thread that trains, after each step, outside the run's lock: it may call the run back (sample,
 * save).
 */
@FunctionalInterface
public interface TrainingListener {

    /** Called after each step, on the training thread. */
    void onStep(StepReport report);
}
