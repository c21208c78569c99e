package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingRun;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code --save-best FILE}: after each evaluation whose validation loss is the lowest so far, saves the run to
 * FILE (atomically, so the file always holds the best complete checkpoint). The first evaluation of this process
 * with a finite loss always saves, so a resumed run compares only its own evaluations. A save that fails (a full
 * disk) does not stop the run: the file keeps the last best saved, no later best is tried, and
 * {@link #failure()} says so for the caller to report once the run itself is saved.
 */
final class BestCheckpoint {
    private final TrainingRun run;
    private final Path file;
    private final boolean withTrainingState;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestStep;
    private boolean saved;
    private String failure;

    BestCheckpoint(TrainingRun run, Path file, boolean withTrainingState) {
        this.run = run;
        this.file = file;
        this.withTrainingState = withTrainingState;
    }

    /** Saves the run if {@code validationLoss} (after {@code step}) is below every earlier one. */
    void offer(int step, double validationLoss) {
        if (failure != null || !(validationLoss < bestLoss)) return;
        try {
            run.save(file, withTrainingState);
        } catch (MicrogptException e) {
            failure = "--save-best at step " + step + ": " + e.getMessage() + (saved ? "; it holds the best of step " + bestStep
                    + " (val loss " + PythonFormat.fixed(bestLoss, 4) + ")" : "");
            return;
        }
        bestLoss = validationLoss;
        bestStep = step;
        saved = true;
    }

    /** What to say about the file when training ends: where the best went, or that none was saved. */
    String describe() {
        if (!saved) {
            return "best: " + file + " not written (no validation loss was finite: the run diverged; try a lower --lr)";
        }
        return "best: " + file + " (val loss " + PythonFormat.fixed(bestLoss, 4) + " after step " + bestStep + ")";
    }

    /** Why a save failed, if one did. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
