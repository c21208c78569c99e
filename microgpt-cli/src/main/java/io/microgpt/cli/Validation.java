package io.microgpt.cli;

import io.microgpt.core.TrainingRun;
import java.util.List;

/**
 * The held-out loss: the mean loss over a fixed subset of the validation documents (the first
 * {@code maxDocuments} of them, already in shuffled order), computed without touching the weights, every
 * {@code every} steps and after the last step. The same subset every time makes the points comparable; its cap
 * keeps an evaluation to a bounded number of forward passes.
 */
final class Validation {
    private final TrainingRun run;
    private final List<String> subset;
    private final int heldOut;
    private final int every;

    Validation(TrainingRun run, int maxDocuments, int every) {
        this.run = run;
        List<String> all = run.validationDocuments();
        this.heldOut = all.size();
        this.subset = all.subList(0, Math.min(maxDocuments, all.size()));
        this.every = every;
    }

    /** Whether this run evaluates at all. */
    boolean enabled() {
        return !subset.isEmpty();
    }

    /** Whether the step just done should be evaluated. */
    boolean due(int step, int totalSteps) {
        return enabled() && (step >= totalSteps || (every > 0 && step % every == 0));
    }

    /** The mean loss over the subset; nothing in the run changes. */
    double evaluate() {
        return run.meanLoss(subset);
    }

    /** Documents in the subset. */
    int subsetSize() {
        return subset.size();
    }

    /** Documents held out in all. */
    int heldOut() {
        return heldOut;
    }
}
