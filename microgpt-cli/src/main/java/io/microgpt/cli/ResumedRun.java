package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import picocli.CommandLine.ParseResult;

/**
 * The saved run {@code train --resume FILE} continues: read, extended when {@code --steps} asks for more steps
 * than it planned, and checked against the flags (a flag that contradicts the saved run is refused, since
 * resuming means going on with the run as it was).
 */
final class ResumedRun {
    private final Path file;
    private final ParseResult parsed;
    private final Checkpoint checkpoint;
    /** The steps the saved run planned, when {@code --steps} extends it to more; 0 otherwise. */
    private final int extendedFrom;

    /** Reads the checkpoint, extends it if asked, and refuses it when it cannot be resumed with these flags. */
    ResumedRun(Path file, ParseResult parsed) {
        this.file = file;
        this.parsed = parsed;
        Checkpoint saved = Checkpoint.read(file, "--resume");
        int more = moreStepsAsked(saved.trainingConfig().steps());
        this.extendedFrom = more > 0 ? saved.trainingConfig().steps() : 0;
        this.checkpoint = more > 0 ? saved.extendedTo(more) : saved;
        checkResumable();
    }

    /** The checkpoint file. */
    Path file() {
        return file;
    }

    /** The saved run, extended to the steps asked for. */
    Checkpoint checkpoint() {
        return checkpoint;
    }

    /** {@code --steps N} with N above the saved run's planned steps: N; otherwise 0 (resume as planned). */
    private int moreStepsAsked(int planned) {
        if (!parsed.hasMatchedOption("--steps")) return 0;
        int steps = parsed.matchedOptionValue("--steps", planned);
        return steps > planned ? steps : 0;
    }

    private void checkResumable() {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("--resume " + file + ": the checkpoint has no training state (saved with --weights-only);"
                    + " sample from it with 'microgpt sample --model " + file + "'");
        }
        TrainingConfig t = checkpoint.trainingConfig();
        if (parsed.hasMatchedOption("--steps") && extendedFrom == 0 && (int) parsed.matchedOptionValue("--steps", 0) != t.steps()) {
            throw new MicrogptException("--steps " + parsed.matchedOptionValue("--steps", 0) + " is fewer than the " + t.steps()
                    + " steps the run saved in " + file + " planned; leave it out to resume the run, or give more to extend it");
        }
        if (checkpoint.stepsDone() >= t.steps()) {
            throw new MicrogptException("--resume " + file + ": the run already finished all " + t.steps()
                    + " steps; sample from it with 'microgpt sample --model " + file + "', or train it further with"
                    + " --steps N (more than " + t.steps() + ")");
        }
        ModelConfig m = checkpoint.modelConfig();
        refuseContradiction("--n-embd", m.nEmbd(), "n_embd");
        refuseContradiction("--n-head", m.nHead(), "n_head");
        refuseContradiction("--n-layer", m.nLayer(), "n_layer");
        refuseContradiction("--block-size", m.blockSize(), "block_size");
        refuseContradiction("--batch", t.batchSize(), "batch size");
        refuseContradiction("--lr", t.learningRate(), "learning rate");
        refuseContradiction("--seed", t.seed(), "seed");
        refuseContradiction("--val-fraction", checkpoint.validationFraction(), "validation fraction");
        refuseContradiction("--layout", checkpoint.layout().flag(), "layout");
        TrainingControls c = t.controls();
        refuseContradiction("--beta1", t.beta1(), "beta1");
        refuseContradiction("--beta2", t.beta2(), "beta2");
        refuseContradiction("--warmup", c.warmupSteps(), "warm-up steps");
        refuseContradiction("--schedule", c.schedule().flag(), "schedule");
        refuseContradiction("--min-lr", c.minLearningRate(), "minimum learning rate");
        refuseContradiction("--weight-decay", c.weightDecay(), "weight decay");
        refuseContradiction("--grad-clip", c.gradClip(), "gradient clip");
    }

    private void refuseContradiction(String flag, Object saved, String what) {
        if (!parsed.hasMatchedOption(flag)) return;
        Object given = parsed.matchedOptionValue(flag, saved);
        boolean same = given instanceof BigInteger g && saved instanceof BigInteger s ? g.equals(s)
                : given instanceof Number g && saved instanceof Number s
                ? (g instanceof Double || s instanceof Double ? g.doubleValue() == s.doubleValue() : g.longValue() == s.longValue())
                : given.equals(saved);
        if (!same) {
            throw new MicrogptException(flag + " " + given + " contradicts the run saved in " + file + " (" + what + " "
                    + saved + "); leave the flag out to resume it");
        }
    }

    /**
     * The data the run trained on: {@code --data}, checked to be the same, or without it the run's own, reopened
     * by core (saying on {@code err} which file it reads, since the path comes from the checkpoint).
     */
    TrainingData data(Path dataFlag, PrintWriter err) {
        DataLayout layout = checkpoint.layout();
        DataSource saved = checkpoint.data();
        if (dataFlag == null) {
            if (!saved.name().equals(Dataset.BUNDLED_SOURCE)) {
                err.println("reading the run's " + layout.contents() + " from " + Text.quote(saved.name()) + " (the dataset "
                        + Text.shown(file) + " names; --data FILE reads another copy)");
                err.flush();
            }
            return layout.reopen(saved);
        }
        TrainingData data = layout.load(dataFlag, "--data");
        if (!saved.matches(data)) {
            throw new MicrogptException("--data " + Text.shown(dataFlag) + " (" + data.size() + " " + layout.unit() + ") is not the data"
                    + " the run saved in " + Text.shown(file) + " trained on (" + saved.documents() + " " + layout.unit()
                    + ", sha256 " + saved.shortSha256() + ")");
        }
        return data;
    }

    /** The run continued on {@code data}, on the saved backend unless {@code --backend} was given. */
    TrainingRun start(TrainingData data, String backendFlag, EngineOptions engineOptions) {
        String name = parsed.hasMatchedOption("--backend") ? backendFlag : checkpoint.backend();
        return TrainingRun.resume(data, checkpoint, Backends.byName(name), engineOptions);
    }

    /** Says where the run starts, and how an extended one goes on. */
    void describeStart(TrainingRun run, PrintWriter out) {
        int total = run.trainingConfig().steps();
        out.println("resuming " + file + " at step " + run.stepsDone() + " / " + total);
        if (extendedFrom > 0) {
            out.println("extending the run from " + extendedFrom + " to " + total + " steps: from step " + (run.stepsDone() + 1)
                    + " the learning rate follows the " + total + "-step schedule (" + PythonFormat.fixed(
                    AdamStep.of(run.trainingConfig(), run.stepsDone()).learningRate(), 6) + " at that step)");
        }
    }
}
