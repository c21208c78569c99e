package io.microgpt.cli;

import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;

/**
 * The held-out loss: the mean loss over a fixed subset of the validation samples (the first
 * {@code maxSamples} held-out documents, already in shuffled order, or that many evenly spaced windows of a
 * stream's validation part), computed without touching the weights, every {@code every} steps and after the
 * last step. The same subset every time makes the points comparable; its cap keeps an evaluation to a bounded
 * number of forward passes.
 */
final class Validation {
    private final TrainingRun run;
    private final int[][] subset;
    private final int heldOut;
    private final int every;

    Validation(TrainingRun run, int maxSamples, int every) {
        this.run = run;
        this.heldOut = run.heldOutCount();
        this.subset = run.validationSamples(maxSamples);
        this.every = every;
    }

    /** Whether this run evaluates at all. */
    boolean enabled() {
        return subset.length > 0;
    }

    /** Whether the step just done should be evaluated. */
    boolean due(int step, int totalSteps) {
        return enabled() && (step >= totalSteps || (every > 0 && step % every == 0));
    }

    /** The mean loss over the subset and its bits per character; nothing in the run changes. */
    Evaluation evaluate() {
        double loss = run.meanLoss(subset);
        return new Evaluation(loss, run.bitsPerCharacter(subset, loss));
    }

    /**
     * One evaluation.
     *
     * @param loss             the mean loss per token (nats)
     * @param bitsPerCharacter the same text's bits per character, comparable across tokenizers
     */
    record Evaluation(double loss, double bitsPerCharacter) {
    }

    /** Samples in the subset. */
    int subsetSize() {
        return subset.length;
    }

    /** Samples held out in all (for a stream: distinct window offsets). */
    int heldOut() {
        return heldOut;
    }

    /** What a sample is: {@code docs}, or {@code windows} for a stream. */
    String unit() {
        return run.layout() == DataLayout.STREAM ? "windows" : "docs";
    }
}
