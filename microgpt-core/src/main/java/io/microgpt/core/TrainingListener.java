package io.microgpt.core;

/** Told about every training step as it completes; how an application drives its own progress display. */
@FunctionalInterface
public interface TrainingListener {

    /** Called after each step, on the training thread. */
    void onStep(StepReport report);
}
