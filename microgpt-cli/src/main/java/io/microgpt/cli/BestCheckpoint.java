package io.microgpt.cli;

import io.microgpt.core.TrainingRun;
import java.nio.file.Path;

/**
 * {@code --save-best FILE}: after each evaluation whose validation loss is the lowest so far, saves the run to
 * FILE (atomically, so the file always holds the best complete checkpoint). The first evaluation of this process
 * always saves, so a resumed run compares only its own evaluations.
 */
final class BestCheckpoint {
    private final TrainingRun run;
    private final Path file;
    private final boolean withTrainingState;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestStep;

    BestCheckpoint(TrainingRun run, Path file, boolean withTrainingState) {
        this.run = run;
        this.file = file;
        this.withTrainingState = withTrainingState;
    }

    /** Saves the run if {@code validationLoss} (after {@code step}) is below every earlier one. */
    void offer(int step, double validationLoss) {
        if (!(validationLoss < bestLoss)) return;
        bestLoss = validationLoss;
        bestStep = step;
        run.save(file, withTrainingState);
    }

    /** The lowest validation loss seen, +infinity before the first. */
    double bestLoss() {
        return bestLoss;
    }

    /** The step of the lowest validation loss, 0 before the first. */
    int bestStep() {
        return bestStep;
    }

    /** The file. */
    Path file() {
        return file;
    }
}
