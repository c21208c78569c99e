package io.microgpt.core;

import io.microgpt.core.checkpoint.CheckpointCodec;
import io.microgpt.core.checkpoint.SafetensorsFile;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.files.InputFiles;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A saved model, as a <a href="https://github.com/huggingface/safetensors">safetensors</a> file: the weights as
 * tensors named as in {@link ParameterLayout} ({@code wte}, {@code wpe}, {@code lm_head},
 * {@code layer0.attn_wq}, ...), and in {@code __metadata__} everything needed to use the file alone: the model
 * config, the vocabulary, the training settings, steps done, the dataset's identity and the backend that wrote
 * it. With training state, Adam's moments are further tensors ({@code adam.m.<name>}, {@code adam.v.<name>})
 * and the random generator's full state is in the metadata, so that {@link TrainingRun#resume} continues the
 * very same run.
 *
 * <p>{@link #read} checks everything before using it and throws a {@link MicrogptException} with a one-line
 * reason for any damaged, truncated, forged or foreign file; {@link #write} replaces its target atomically.
 *
 * <p>Immutable but for the arrays behind {@link #parameters()} and {@link #trainingState()}, which are shared, not
 * copied (treat them as read-only), so a checkpoint may be shared between threads.
 * {@link #read} and {@link #write} may be called from any thread; two writes to one file land one after the other,
 * whole (the last rename wins).
 */
public final class Checkpoint {
    /**
     * The newest format version this code reads. A file is written with the lowest version that holds what it
     * uses: 1 for a run with nothing beyond the first release's meaning (which every reader loads), 2 for one
     * that uses the training controls, the stream layout or another tokenizer; readers refuse a newer version and
     * ignore keys they do not know (the rule: {@code docs/checkpoints.md}, "Versions").
     */
    public static final int FORMAT_VERSION = 2;

    private final ModelConfig modelConfig;
    private final Tokenizer tokenizer;
    private final TrainingConfig trainingConfig;
    private final double validationFraction;
    private final DataLayout layout;
    private final int stepsDone;
    private final DataSource data;
    private final String backend;
    private final Parameters parameters;
    private final TrainingState trainingState;
    private final List<SafetensorsFile.Tensor> tensors;
    private final RunHistory history;

    Checkpoint(Tokenizer tokenizer, TrainingConfig trainingConfig, double validationFraction, int stepsDone, DataSource data,
               String backend, Parameters parameters, TrainingState trainingState, List<SafetensorsFile.Tensor> tensors,
               RunHistory history) {
        this(tokenizer, trainingConfig, validationFraction, DataLayout.LINES, stepsDone, data, backend, parameters, trainingState,
                tensors, history);
    }

    /**
     * A checkpoint of these parts, checked to agree (the vocabulary with the embedding, the moments with the
     * weights); {@code tensors} lists the file's tensors when it was read from one, else it is empty.
     */
    public Checkpoint(Tokenizer tokenizer, TrainingConfig trainingConfig, double validationFraction, DataLayout layout, int stepsDone,
               DataSource data, String backend, Parameters parameters, TrainingState trainingState,
               List<SafetensorsFile.Tensor> tensors, RunHistory history) {
        if (tokenizer.vocabSize() != parameters.config().vocabSize()) {
            throw new MicrogptException("the vocabulary has " + tokenizer.vocabSize() + " tokens but the model "
                    + parameters.config().vocabSize());
        }
        if (trainingState != null && trainingState.optimizer().firstMoment().length != parameters.size()) {
            throw new MicrogptException("Adam moments hold " + trainingState.optimizer().firstMoment().length
                    + " values but the model has " + parameters.size());
        }
        this.modelConfig = parameters.config();
        this.tokenizer = tokenizer;
        this.trainingConfig = trainingConfig;
        this.validationFraction = validationFraction;
        this.layout = layout;
        this.stepsDone = stepsDone;
        this.data = data;
        this.backend = backend;
        this.parameters = parameters;
        this.trainingState = trainingState;
        this.tensors = List.copyOf(tensors);
        this.history = history.copy();
    }

    /**
     * Reads and fully checks a checkpoint file. Every problem (missing file, truncated or forged content,
     * unknown dtype, shapes that contradict the config, non-finite values, ...) is a {@link MicrogptException}
     * whose message starts with {@code checkpoint FILE} and names the problem in one line.
     */
    public static Checkpoint read(Path file) {
        return read(file, "checkpoint");
    }

    /**
     * {@link #read(Path)}, its messages starting with {@code what FILE}: {@code what} names the file as the user gave
     * it, e.g. the flag {@code --resume}.
     */
    public static Checkpoint read(Path file, String what) {
        FileChannel opened = InputFiles.open(file, what);
        try (FileChannel channel = opened) {
            return CheckpointCodec.decode(channel, channel.size());
        } catch (IOException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        } catch (MicrogptException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes this checkpoint atomically with weights (and moments) in the precision of the backend that made it
     * ({@link Backend#precision()}), or in F64 when no backend of that name is on the class path.
     */
    public void write(Path file) {
        DType dtype = DType.F64;
        for (Backend b : Backends.all()) if (b.name().equals(backend)) dtype = b.precision();
        write(file, dtype);
    }

    /**
     * Writes this checkpoint atomically (temporary file in the same folder, synced, renamed over {@code file}):
     * a failure leaves any previous file untouched. Values must be finite in {@code dtype}.
     */
    public void write(Path file, DType dtype) {
        CheckpointCodec.write(this, file, dtype);
    }

    /** The same checkpoint without Adam's moments and the random state (smaller; can sample, cannot resume). */
    public Checkpoint withoutTrainingState() {
        return new Checkpoint(tokenizer, trainingConfig, validationFraction, layout, stepsDone, data, backend, parameters, null,
                List.of(), history);
    }

    /**
     * The same run planned for {@code steps} steps instead: resuming it continues from the saved step with the
     * learning-rate schedule of the longer run (at the linear decay, {@code lr * (1 - step / steps)} from
     * the saved step on). {@code steps} must be more than the steps planned.
     */
    public Checkpoint extendedTo(int steps) {
        if (steps <= trainingConfig.steps()) {
            throw new MicrogptException("a run can only be extended to more than its " + trainingConfig.steps()
                    + " planned steps, got " + steps);
        }
        return new Checkpoint(tokenizer, trainingConfig.withSteps(steps), validationFraction, layout, stepsDone, data, backend,
                parameters, trainingState, tensors, history);
    }

    /** The format version its file has (or would have): the lowest that holds what it uses ({@link #FORMAT_VERSION}). */
    public int formatVersion() {
        return CheckpointCodec.formatVersion(this);
    }

    /** The model shape. */
    public ModelConfig modelConfig() {
        return modelConfig;
    }

    /** The vocabulary. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The run's training settings (steps planned, batch, Adam, seed). */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** Share of the shuffled documents the run held out for validation. */
    public double validationFraction() {
        return validationFraction;
    }

    /**
     * How the run's data was laid out: documents per line, or one stream (then {@link #data()} counts
     * characters, not documents, and its digest is of the file's bytes).
     */
    public DataLayout layout() {
        return layout;
    }

    /** Steps the run had completed. */
    public int stepsDone() {
        return stepsDone;
    }

    /** The dataset the run trained on. */
    public DataSource data() {
        return data;
    }

    /** Name of the backend that wrote it. */
    public String backend() {
        return backend;
    }

    /** The weights (not a copy: treat as read-only). */
    public Parameters parameters() {
        return parameters;
    }

    /** Adam's moments and the random state, if saved. */
    public Optional<TrainingState> trainingState() {
        return Optional.ofNullable(trainingState);
    }

    /** The losses of the run up to the saved step (a copy). */
    public RunHistory history() {
        return history.copy();
    }

    /** The tensors as the file lists them, by data offset (empty for a checkpoint not read from a file). */
    public List<SafetensorsFile.Tensor> tensors() {
        return tensors;
    }

    /**
     * What a resumed run needs beyond the weights.
     *
     * @param optimizer Adam's moments
     * @param random    the run's random generator, as it was after the last completed step
     */
    public record TrainingState(OptimizerState optimizer, PyRandom.State random) {
    }
}
