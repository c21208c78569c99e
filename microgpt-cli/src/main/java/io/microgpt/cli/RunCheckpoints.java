package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingListener;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.files.OutputFile;
import io.microgpt.core.files.SaveLock;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * What {@code train} does with checkpoints: start a fresh run or resume a saved one (refusing flags that
 * contradict it; {@code --steps} beyond the planned steps extends the run), save every N steps, stop after
 * step K, save on Ctrl-C / SIGTERM, and save at the end.
 */
final class RunCheckpoints implements AutoCloseable {
    private static final long EXIT_SAVE_WAIT_SECONDS = 300;

    private final CheckpointOptions options;
    private final ParseResult parsed;
    private final Checkpoint resumed;
    /** The steps the saved run planned, when {@code --steps} extends it to more; 0 otherwise. */
    private final int extendedFrom;
    private final Path target;
    private final CountDownLatch trainingFinished = new CountDownLatch(1);
    private SaveLock lock;
    private Thread exitHook;
    private volatile boolean interrupted;

    /** Checks the options together and reads the checkpoint to resume, if any. */
    RunCheckpoints(CheckpointOptions options, CommandSpec train) {
        this.options = options;
        this.parsed = train.commandLine().getParseResult();
        if (options.saveEvery < 0) throw new MicrogptException("--save-every must be 0 (off) or positive, got " + options.saveEvery);
        Checkpoint saved = options.resume == null ? null : Checkpoint.read(options.resume);
        int more = saved == null ? 0 : moreStepsAsked(saved.trainingConfig().steps());
        this.extendedFrom = more > 0 ? saved.trainingConfig().steps() : 0;
        this.resumed = more > 0 ? saved.extendedTo(more) : saved;
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
            checkResumable();
            if (options.save == null) OutputFile.check(options.resume, "--resume");
            if (options.weightsOnly && (options.save == null || OutputFile.same(options.save, options.resume))) {
                throw new MicrogptException("--weights-only would replace " + Text.shown(options.resume) + ", the only resumable copy"
                        + " of the unfinished run, with weights only: add --save OTHER.safetensors to write the weights elsewhere");
            }
        }
        int start = resumed == null ? 0 : resumed.stepsDone();
        if (options.stopAfter != null && options.stopAfter <= start) {
            throw new MicrogptException("--stop-after " + options.stopAfter + " must be after the step the run starts from (" + start + ")");
        }
        int steps = resumed != null ? resumed.trainingConfig().steps() : train.findOption("--steps").<Integer>getValue();
        if (options.stopAfter != null && options.stopAfter > steps) {
            throw new MicrogptException("--stop-after " + options.stopAfter + " is after the run's last step (" + steps
                    + "), so it would never stop the run: leave it out, or plan more steps");
        }
    }

    /**
     * The files this run reads and writes, to be checked against each other ({@link RunFiles#check}) before
     * anything is written: the documents and the checkpoint it resumes from, and the files it saves to (saving
     * back to the resumed checkpoint is what resuming means, so that pair is allowed).
     */
    RunFiles files(Path dataFlag) {
        RunFiles files = new RunFiles();
        if (dataFlag != null) files.input("--data", dataFlag);
        else if (resumed != null && !resumed.data().name().equals(Dataset.BUNDLED_SOURCE)) {
            try {
                files.input("the dataset the checkpoint names", Path.of(resumed.data().name()));
            } catch (InvalidPathException e) {
                // not a path: reopening it fails with its own message
            }
        }
        if (options.resume != null) files.input("--resume", options.resume);
        if (options.save != null && !(options.resume != null && OutputFile.same(options.save, options.resume))) {
            files.output("--save", options.save);
        }
        files.output("--save-best", options.saveBest);
        return files;
    }

    private void checkResumable() {
        Path file = options.resume;
        if (resumed.trainingState().isEmpty()) {
            throw new MicrogptException("--resume " + file + ": the checkpoint has no training state (saved with --weights-only);"
                    + " sample from it with 'microgpt sample --model " + file + "'");
        }
        TrainingConfig t = resumed.trainingConfig();
        if (parsed.hasMatchedOption("--steps") && extendedFrom == 0 && (int) parsed.matchedOptionValue("--steps", 0) != t.steps()) {
            throw new MicrogptException("--steps " + parsed.matchedOptionValue("--steps", 0) + " is fewer than the " + t.steps()
                    + " steps the run saved in " + file + " planned; leave it out to resume the run, or give more to extend it");
        }
        if (resumed.stepsDone() >= t.steps()) {
            throw new MicrogptException("--resume " + file + ": the run already finished all " + t.steps()
                    + " steps; sample from it with 'microgpt sample --model " + file + "', or train it further with"
                    + " --steps N (more than " + t.steps() + ")");
        }
        ModelConfig m = resumed.modelConfig();
        refuseContradiction("--n-embd", m.nEmbd(), "n_embd");
        refuseContradiction("--n-head", m.nHead(), "n_head");
        refuseContradiction("--n-layer", m.nLayer(), "n_layer");
        refuseContradiction("--block-size", m.blockSize(), "block_size");
        refuseContradiction("--batch", t.batchSize(), "batch size");
        refuseContradiction("--lr", t.learningRate(), "learning rate");
        refuseContradiction("--seed", t.seed(), "seed");
        refuseContradiction("--val-fraction", resumed.validationFraction(), "validation fraction");
        refuseContradiction("--layout", resumed.layout().flag(), "layout");
        TrainingControls c = t.controls();
        refuseContradiction("--beta1", t.beta1(), "beta1");
        refuseContradiction("--beta2", t.beta2(), "beta2");
        refuseContradiction("--warmup", c.warmupSteps(), "warm-up steps");
        refuseContradiction("--schedule", c.schedule().flag(), "schedule");
        refuseContradiction("--min-lr", c.minLearningRate(), "minimum learning rate");
        refuseContradiction("--weight-decay", c.weightDecay(), "weight decay");
        refuseContradiction("--grad-clip", c.gradClip(), "gradient clip");
    }

    /** The checkpoint being resumed, or null for a fresh run. */
    Checkpoint resumed() {
        return resumed;
    }

    /** The layout of the run: the saved run's when resuming, else {@code --layout}'s. */
    DataLayout layout(DataLayout flag) {
        return resumed != null ? resumed.layout() : flag;
    }

    /** {@code --steps N} with N above the saved run's planned steps: N; otherwise 0 (resume as planned). */
    private int moreStepsAsked(int planned) {
        if (!parsed.hasMatchedOption("--steps")) return 0;
        int steps = parsed.matchedOptionValue("--steps", planned);
        return steps > planned ? steps : 0;
    }

    private void refuseContradiction(String flag, Object saved, String what) {
        if (!parsed.hasMatchedOption(flag)) return;
        Object given = parsed.matchedOptionValue(flag, saved);
        boolean same = given instanceof BigInteger g && saved instanceof BigInteger s ? g.equals(s)
                : given instanceof Number g && saved instanceof Number s
                ? (g instanceof Double || s instanceof Double ? g.doubleValue() == s.doubleValue() : g.longValue() == s.longValue())
                : given.equals(saved);
        if (!same) {
            throw new MicrogptException(flag + " " + given + " contradicts the run saved in " + options.resume + " (" + what + " "
                    + saved + "); leave the flag out to resume it");
        }
    }

    /**
     * The data in the run's layout: {@code --data}, or without it the layout's bundled data (the names); when
     * resuming without {@code --data}, the run's own, reopened by core (saying on {@code err} which file it
     * reads, since the path comes from the file).
     */
    TrainingData data(DataLayout layout, Path dataFlag, PrintWriter err) {
        if (resumed == null) {
            if (dataFlag != null) return layout.load(dataFlag);
            return layout.bundled().orElseThrow(() -> new MicrogptException("--layout " + layout.flag()
                    + " needs --data FILE, a text to train on (e.g. examples/tinyshakespeare.txt)"));
        }
        DataSource saved = resumed.data();
        if (dataFlag == null) {
            if (!saved.name().equals(Dataset.BUNDLED_SOURCE)) announce(saved, layout.contents(), err);
            return layout.reopen(saved);
        }
        TrainingData data = layout.load(dataFlag);
        if (!saved.matches(data)) {
            throw new MicrogptException("--data " + Text.shown(dataFlag) + " (" + data.size() + " " + layout.unit() + ") is not the data"
                    + " the run saved in " + Text.shown(options.resume) + " trained on (" + saved.documents() + " " + layout.unit()
                    + ", sha256 " + saved.shortSha256() + ")");
        }
        return data;
    }

    /** Says which file a resumed run is about to read: the checkpoint names it, so it is shown before it is opened. */
    private void announce(DataSource saved, String what, PrintWriter err) {
        err.println("reading the run's " + what + " from " + Text.quote(saved.name()) + " (the dataset " + Text.shown(options.resume)
                + " names; --data FILE reads another copy)");
        err.flush();
    }

    /** A fresh run from the builder, or the resumed run (on the saved backend unless {@code --backend} was given). */
    TrainingRun start(TrainingRun.Builder fresh, TrainingData data, String backendFlag, EngineOptions engineOptions) {
        lockTarget();
        try {
            if (resumed == null) return fresh.start();
            String name = parsed.hasMatchedOption("--backend") ? backendFlag : resumed.backend();
            return TrainingRun.resume(data, resumed, Backends.byName(name), engineOptions);
        } catch (RuntimeException | Error e) {
            releaseLock();
            throw e;
        }
    }

    /** Holds the save lock of the run's checkpoint from before the first step until {@link #close}. */
    private void lockTarget() {
        if (target != null) lock = SaveLock.acquire(target);
    }

    private void releaseLock() {
        if (lock != null) lock.close();
        lock = null;
    }

    /** {@code --save-best}'s keeper for this run, or null without the flag. */
    BestCheckpoint best(TrainingRun run) {
        return options.saveBest == null ? null : new BestCheckpoint(run, options.saveBest, !options.weightsOnly);
    }

    /** The display listener, plus saving every N steps and stopping after step K. */
    TrainingListener listener(TrainingRun run, TrainingListener display) {
        return report -> {
            display.onStep(report);
            if (options.stopAfter != null && report.step() >= options.stopAfter) run.requestStop();
            if (options.saveEvery > 0 && report.step() % options.saveEvery == 0 && report.step() < report.totalSteps()) save(run);
        };
    }

    /** Says where a resumed run starts, and how an extended one goes on (nothing for a fresh run). */
    void describeStart(TrainingRun run, PrintWriter out) {
        if (resumed == null) return;
        int total = run.trainingConfig().steps();
        out.println("resuming " + options.resume + " at step " + run.stepsDone() + " / " + total);
        if (extendedFrom > 0) {
            out.println("extending the run from " + extendedFrom + " to " + total + " steps: from step " + (run.stepsDone() + 1)
                    + " the learning rate follows the " + total + "-step schedule (" + PythonFormat.fixed(
                    AdamStep.of(run.trainingConfig(), run.stepsDone()).learningRate(), 6) + " at that step)");
        }
    }

    /**
     * From here until {@link #finishTraining} returns, Ctrl-C or SIGTERM stops the run after the step in
     * progress and waits for it to be saved before the JVM exits.
     */
    void saveOnExit(TrainingRun run) {
        if (target == null) return;
        exitHook = new Thread(() -> {
            if (trainingFinished.getCount() == 0) return;
            interrupted = true;
            run.requestStop();
            try {
                trainingFinished.await(EXIT_SAVE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "microgpt-save-on-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * Saves the run (if there is a file to save to) once training returned. Returns true when it stopped
     * before its last step: the caller then ends without sampling, and the output says how to resume.
     */
    boolean finishTraining(TrainingRun run, PrintWriter out) {
        try {
            int done = run.stepsDone();
            int total = run.trainingConfig().steps();
            if (target != null) {
                save(run);
                out.println("saved " + target + " (step " + done + " / " + total
                        + (options.weightsOnly ? ", weights only" : "") + ")");
            }
            if (done < total) {
                out.println((interrupted ? "interrupted" : "stopped") + " after step " + done + " / " + total
                        + (target != null && !options.weightsOnly ? "; resume with: microgpt train --resume " + target : ""));
                out.flush();
                return true;
            }
            out.flush();
            return false;
        } finally {
            trainingFinished.countDown();
        }
    }

    /**
     * Standard output failed during training, which ends the run there: it is saved first (when it has a file
     * to save to), and the failure returned says so, so that losing the output never loses the training.
     */
    OutputFailure saveAfter(TrainingRun run, OutputFailure failure) {
        try {
            if (target == null) return failure;
            save(run);
            return failure.withNote("; the run was saved to " + target + " at step " + run.stepsDone() + " / "
                    + run.trainingConfig().steps() + (options.weightsOnly ? " (weights only)"
                    : run.stepsDone() < run.trainingConfig().steps() ? ": resume with microgpt train --resume " + target : ""));
        } finally {
            trainingFinished.countDown();
        }
    }

    private void save(TrainingRun run) {
        run.save(target, !options.weightsOnly);
    }

    /** Removes the exit hook (the JVM goes on, e.g. in tests). */
    @Override
    public void close() {
        trainingFinished.countDown();
        releaseLock();
        if (exitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
    }
}
