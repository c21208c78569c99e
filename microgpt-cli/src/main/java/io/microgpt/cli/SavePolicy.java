package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingListener;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.files.OutputFile;
import java.nio.file.Path;

/**
 * When and where {@code train} saves, from the checkpoint flags checked together: to {@code --save} (or back to
 * the resumed file) every {@code --save-every} steps, at {@code --stop-after}, at the end and on exit, with or
 * without training state ({@code --weights-only}); and {@code --save-best}'s keeper.
 */
final class SavePolicy {
    private final CheckpointOptions options;
    private final Path target;

    /**
     * Checks the flags against each other and against the run: {@code resumed} is the run being resumed (null
     * for a fresh one), {@code startStep} the step it starts from and {@code steps} its last.
     */
    SavePolicy(CheckpointOptions options, ResumedRun resumed, int startStep, int steps) {
        this.options = options;
        if (options.saveEvery < 0) throw new MicrogptException("--save-every must be 0 (off) or positive, got " + options.saveEvery);
        this.target = options.save != null ? options.save : options.resume;
        if (target == null && (options.saveEvery > 0 || options.stopAfter != null || options.weightsOnly)) {
            throw new MicrogptException((options.stopAfter != null ? "--stop-after" : options.saveEvery > 0 ? "--save-every" : "--weights-only")
                    + " needs --save FILE (or --resume FILE) to save the run to");
        }
        if (options.save != null) OutputFile.check(options.save, "--save");
        if (options.saveBest != null) {
            OutputFile.check(options.saveBest, "--save-best");
            if (target != null && OutputFile.same(target, options.saveBest)) {
                throw new MicrogptException("--save-best " + Text.shown(options.saveBest) + " is the file the run itself is saved to;"
                        + " give the best checkpoint a file of its own");
            }
        }
        if (resumed != null) {
            if (options.save == null) OutputFile.check(options.resume, "--resume");
            if (options.weightsOnly && (options.save == null || OutputFile.same(options.save, options.resume))) {
                throw new MicrogptException("--weights-only would replace " + Text.shown(options.resume) + ", the only resumable copy"
                        + " of the unfinished run, with weights only: add --save OTHER.safetensors to write the weights elsewhere");
            }
        }
        if (options.stopAfter != null && options.stopAfter <= startStep) {
            throw new MicrogptException("--stop-after " + options.stopAfter + " must be after the step the run starts from (" + startStep + ")");
        }
        if (options.stopAfter != null && options.stopAfter > steps) {
            throw new MicrogptException("--stop-after " + options.stopAfter + " is after the run's last step (" + steps
                    + "), so it would never stop the run: leave it out, or plan more steps");
        }
    }

    /** The file the run is saved to, or null when it is not saved. */
    Path target() {
        return target;
    }

    /** Whether the saves keep the training state (so that the run can be resumed from them). */
    boolean resumable() {
        return !options.weightsOnly;
    }

    /** Saves the run to {@link #target()}. */
    void save(TrainingRun run) {
        run.save(target, resumable());
    }

    /** {@code --save-best}'s keeper for this run, or null without the flag. */
    BestCheckpoint best(TrainingRun run) {
        return options.saveBest == null ? null : new BestCheckpoint(run, options.saveBest, resumable());
    }

    /** The display listener, plus saving every N steps and stopping after step K. */
    TrainingListener listener(TrainingRun run, TrainingListener display) {
        return report -> {
            display.onStep(report);
            if (options.stopAfter != null && report.step() >= options.stopAfter) run.requestStop();
            if (options.saveEvery > 0 && report.step() % options.saveEvery == 0 && report.step() < report.totalSteps()) save(run);
        };
    }
}
