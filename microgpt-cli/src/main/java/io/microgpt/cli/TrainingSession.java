package io.microgpt.cli;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingListener;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.files.LiveRuns;
import io.microgpt.core.files.OutputFile;
import io.microgpt.core.files.SaveLock;
import io.microgpt.core.spi.EngineOptions;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The life of one {@code train} run, from the flags to the last save: a fresh run or a {@link ResumedRun},
 * its data opened, its files registered with the other live runs and the save lock held on its checkpoint from
 * before the first step to the end, the
 * {@link SavePolicy} applied while it trains, Ctrl-C / SIGTERM turned into a stop and a save, and the save at
 * the end. Used by one thread (the exit hook aside).
 */
final class TrainingSession implements AutoCloseable {
    private static final long EXIT_SAVE_WAIT_SECONDS = 300;

    private final CheckpointOptions options;
    /** The run being resumed, or null for a fresh one. */
    private final ResumedRun resumed;
    private final SavePolicy saving;
    private final CountDownLatch trainingFinished = new CountDownLatch(1);
    private SaveLock lock;
    private LiveRuns.Registration live;
    private Thread exitHook;
    private volatile boolean interrupted;

    /** Checks the checkpoint options together and reads the checkpoint to resume, if any. */
    TrainingSession(CheckpointOptions options, CommandSpec train) {
        this.options = options;
        this.resumed = options.resume == null ? null : new ResumedRun(options.resume, train.commandLine().getParseResult());
        int start = resumed == null ? 0 : resumed.checkpoint().stepsDone();
        int steps = resumed != null ? resumed.checkpoint().trainingConfig().steps() : train.findOption("--steps").<Integer>getValue();
        this.saving = new SavePolicy(options, resumed, start, steps);
    }

    /**
     * The files this run reads and writes, to be checked against each other ({@link RunFiles#check}) before
     * anything is written: the data and the checkpoint it resumes from, and the files it saves to (saving
     * back to the resumed checkpoint is what resuming means, so that pair is allowed).
     */
    RunFiles files(Path dataFlag) {
        RunFiles files = new RunFiles();
        if (dataFlag != null) files.input("--data", dataFlag);
        else if (resumed != null && !resumed.checkpoint().data().name().equals(Dataset.BUNDLED_SOURCE)) {
            try {
                files.input("the dataset the checkpoint names", Path.of(resumed.checkpoint().data().name()));
            } catch (InvalidPathException e) {
                // not a path: reopening it fails with its own message
            }
        }
        if (options.resume != null) files.input("--resume", options.resume);
        if (options.save != null && !(options.resume != null && OutputFile.same(options.save, options.resume))) {
            files.output("--save", options.save);
        } else if (options.resume != null) {
            files.rewritten("--resume", options.resume);   // saved back to
        }
        files.output("--save-best", options.saveBest);
        return files;
    }

    /** The checkpoint being resumed, or null for a fresh run. */
    Checkpoint resumed() {
        return resumed == null ? null : resumed.checkpoint();
    }

    /** The layout of the run: the saved run's when resuming, else {@code --layout}'s. */
    DataLayout layout(DataLayout flag) {
        return resumed != null ? resumed.checkpoint().layout() : flag;
    }

    /**
     * The data in the run's layout: {@code --data}, or without it the layout's bundled data (the names); when
     * resuming, the run's own ({@link ResumedRun#data}).
     */
    TrainingData data(DataLayout layout, Path dataFlag, PrintWriter err) {
        if (resumed != null) return resumed.data(dataFlag, err);
        if (dataFlag != null) return layout.load(dataFlag);
        return layout.bundled().orElseThrow(() -> new MicrogptException("--layout " + layout.flag()
                + " needs --data FILE, a text to train on (e.g. examples/tinyshakespeare.txt)"));
    }

    /**
     * Registers the run's files with the other live runs ({@link RunFiles#register}: refused, with nothing
     * written, if another run uses a file it writes), takes the save lock, then starts the fresh run from the
     * builder, or continues the resumed one on {@code data}. Both are held until {@link #close}.
     */
    TrainingRun start(TrainingRun.Builder fresh, TrainingData data, String backendFlag, EngineOptions engineOptions, RunFiles files) {
        live = files.register();
        try {
            if (saving.target() != null) lock = SaveLock.acquire(saving.target());
            return resumed == null ? fresh.start() : resumed.start(data, backendFlag, engineOptions);
        } catch (RuntimeException | Error e) {
            releaseLock();
            throw e;
        }
    }

    private void releaseLock() {
        if (lock != null) lock.close();
        lock = null;
        if (live != null) live.close();
        live = null;
    }

    /** {@code --save-best}'s keeper for this run, or null without the flag. */
    BestCheckpoint best(TrainingRun run) {
        return saving.best(run);
    }

    /** The display listener, plus the saves and the stop of the {@link SavePolicy}. */
    TrainingListener listener(TrainingRun run, TrainingListener display) {
        return saving.listener(run, display);
    }

    /** Says where a resumed run starts, and how an extended one goes on (nothing for a fresh run). */
    void describeStart(TrainingRun run, PrintWriter out) {
        if (resumed != null) resumed.describeStart(run, out);
    }

    /**
     * From here until {@link #finishTraining} returns, Ctrl-C or SIGTERM stops the run after the step in
     * progress and waits for it to be saved before the JVM exits.
     */
    void saveOnExit(TrainingRun run) {
        if (saving.target() == null) return;
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
            Path target = saving.target();
            if (target != null) {
                saving.save(run);
                out.println("saved " + target + " (step " + done + " / " + total
                        + (saving.resumable() ? "" : ", weights only") + ")");
            }
            if (done < total) {
                out.println((interrupted ? "interrupted" : "stopped") + " after step " + done + " / " + total
                        + (target != null && saving.resumable() ? "; resume with: microgpt train --resume " + target : ""));
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
            Path target = saving.target();
            if (target == null) return failure;
            saving.save(run);
            return failure.withNote("; the run was saved to " + target + " at step " + run.stepsDone() + " / "
                    + run.trainingConfig().steps() + (!saving.resumable() ? " (weights only)"
                    : run.stepsDone() < run.trainingConfig().steps() ? ": resume with microgpt train --resume " + target : ""));
        } finally {
            trainingFinished.countDown();
        }
    }

    /** For the error line of a report that failed: where the run itself is saved (empty without a file to save to). */
    String savedNote(TrainingRun run) {
        Path target = saving.target();
        if (target == null) return "";
        return "; the run itself was saved to " + target + " (step " + run.stepsDone() + " / " + run.trainingConfig().steps()
                + (saving.resumable() ? "" : ", weights only") + ")";
    }

    /** Releases the lock and the registration, and removes the exit hook (the JVM goes on, e.g. in tests). */
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
