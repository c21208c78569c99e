package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.files.OutputFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What {@code train} records besides its console output: metrics, validation loss and a loss chart. */
final class ReportOptions {
    /** Held-out documents evaluated at most, unless {@code --eval-docs} says otherwise. */
    static final int DEFAULT_EVAL_DOCS = 256;
    /** Evaluations over a run when {@code --val-fraction} is given without {@code --eval-every}. */
    static final int DEFAULT_EVALUATIONS = 10;

    @Option(names = "--metrics", paramLabel = "FILE.csv",
            description = "write one CSV row per step: step, loss, learning_rate, step_us, val_loss, val_bpc (empty where not "
                    + "computed); a resumed run's file and chart also cover the steps before the resume; written all at once "
                    + "when training ends, after the checkpoint, as the chart is")
    Path metrics;

    @Option(names = "--plot", paramLabel = "FILE.svg",
            description = "write an SVG chart of the loss (per step, smoothed, validation) when training ends")
    Path plot;

    @Option(names = "--val-fraction", paramLabel = "F",
            description = "hold out this share of the shuffled documents (the last ones) for validation, e.g. 0.1; "
                    + "training still starts on the reference's documents (default: " + DataLayout.DEFAULT_LINES_VALIDATION_FRACTION
                    + ", no validation); with --layout stream the last F of the text validates (default: "
                    + DataLayout.DEFAULT_STREAM_VALIDATION_FRACTION + ")")
    Double validationFraction;

    @Option(names = "--eval-every", paramLabel = "N",
            description = "compute the validation loss every N steps and after the last one (needs --val-fraction); "
                    + "0 = only after the last step (default: " + DEFAULT_EVALUATIONS + " times per run)")
    Integer evalEvery;

    @Option(names = "--eval-docs", paramLabel = "N", defaultValue = "" + DEFAULT_EVAL_DOCS,
            description = "validation loss = mean loss over the first N held-out documents (with --layout stream: N evenly "
                    + "spaced windows of the validation part), the same every time, so that evaluating stays cheap (default: ${DEFAULT-VALUE})")
    int evalDocs;

    /** Throws a {@link MicrogptException} for values that cannot work, before any training. */
    void validate() {
        if (validationFraction != null) TrainingRun.checkValidationFraction(validationFraction, Flags::of);
        if (evalEvery != null && evalEvery < 0) {
            throw new MicrogptException("--eval-every must be 0 or more, got " + evalEvery);
        }
        if (evalDocs < 1) throw new MicrogptException("--eval-docs must be 1 or more, got " + evalDocs);
        if (metrics != null) OutputFile.check(metrics, "--metrics");
        if (plot != null) OutputFile.check(plot, "--plot");
    }

    /** Checks against the started run (which may be resumed, with its own held-out documents). */
    void validateFor(TrainingRun run) {
        if (evalEvery != null && run.heldOutCount() == 0) {
            throw new MicrogptException("--eval-every needs held-out documents: add --val-fraction (e.g. --val-fraction 0.1)");
        }
    }

    /** The share held out: the flag's, or by default 0 for documents and 0.1 for a stream (as nanoGPT). */
    double validationFraction(DataLayout layout) {
        return validationFraction != null ? validationFraction : layout.defaultValidationFraction();
    }

    /** Steps between evaluations for a run of {@code steps} steps; 0 = only after the last. */
    int evalEvery(int steps) {
        if (evalEvery != null) return evalEvery;
        return Math.max(1, (steps + DEFAULT_EVALUATIONS - 1) / DEFAULT_EVALUATIONS);
    }
}
