package io.microgpt.core;

import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.StreamWindows;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.files.InputFiles;
import io.microgpt.core.sampling.Sampler;
import io.microgpt.core.sampling.TextGenerator;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.Tokenizer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * One training run in progress: the seeded random source, the shuffled documents, the tokenizer, the opened
 * engine and the number of steps done. Created by {@link #builder(Dataset)} (or continued from a
 * {@link Checkpoint} by {@link #resume}), in the reference's order of
 * random draws: seed, shuffle the documents, initialise the weights; sampling then continues the same stream.
 *
 * <p>Step {@code k} (0-based) trains on the next {@code batchSize} documents of the shuffled order, wrapping
 * around: documents {@code (k * batchSize + i) mod count}. At batch 1 this is the reference's schedule.
 *
 * <p>A run on a {@link TextStream} ({@link #builder(TextStream)}, the {@code stream} layout) draws instead:
 * seed, initialise the weights, then each step {@code batchSize} windows of {@code blockSize + 1} tokens at
 * offsets drawn from the random source (see {@link StreamWindows}); nothing is shuffled and BOS never occurs.
 */
public final class TrainingRun implements AutoCloseable {
    private final Dataset dataset;
    private final TextStream stream;
    private final StreamWindows windows;
    private final PyRandom rng;
    private final Tokenizer tokenizer;
    private final List<String> trainingDocuments;
    private final List<String> validationDocuments;
    private final int[][] trainingTokens;
    private final ModelConfig modelConfig;
    private final TrainingConfig trainingConfig;
    private final Backend backend;
    private final Engine engine;
    private final int[][] batch;
    private final double validationFraction;
    private final RunHistory history;
    private Checkpoint.DataSource dataSource;
    /** Samples the weights after the last step: made by the first {@link #sample} after it, dropped by the next step. */
    private Sampler sampler;
    private int stepsDone;
    private long elapsedNanos;
    private volatile boolean stopRequested;

    private TrainingRun(Builder b, Checkpoint resumeFrom) {
        this.dataset = b.dataset;
        this.stream = b.stream;
        this.backend = b.backend != null ? b.backend : Backends.reference();
        this.trainingConfig = b.trainingConfig(backend);
        this.validationFraction = b.validationFraction;
        PyRandom random = new PyRandom(trainingConfig.seed());
        if (stream != null) {
            this.tokenizer = stream.tokenizer();
            ModelBudget.check(stream.source(), tokenizer.vocabSize(), b.nEmbd, b.nLayer, b.blockSize, Runtime.getRuntime().maxMemory());
            this.modelConfig = new ModelConfig(tokenizer.vocabSize(), b.nEmbd, b.nHead, b.nLayer, b.blockSize, b.initStd);
            // every window is block_size + 1 tokens; the text's own tokens are already held by the stream
            MemoryEstimate.training(backend, modelConfig, trainingConfig.batchSize(), new int[] {b.blockSize + 1})
                    .check(Runtime.getRuntime().maxMemory());
            this.windows = new StreamWindows(stream, b.blockSize, b.validationFraction);
            this.trainingDocuments = List.of();
            this.validationDocuments = List.of();
            this.trainingTokens = null;
            this.batch = windows.newBatch(trainingConfig.batchSize());
        } else {
            this.windows = null;
            List<String> shuffled = dataset.shuffled(random);
            this.tokenizer = Tokenizer.fromDocuments(shuffled);
            ModelBudget.check(dataset.source(), tokenizer.vocabSize(), b.nEmbd, b.nLayer, b.blockSize,
                    Runtime.getRuntime().maxMemory());
            this.modelConfig = new ModelConfig(tokenizer.vocabSize(), b.nEmbd, b.nHead, b.nLayer, b.blockSize, b.initStd);
            int[] lengths = new int[shuffled.size()];
            for (int i = 0; i < lengths.length; i++) lengths[i] = shuffled.get(i).codePointCount(0, shuffled.get(i).length()) + 2;
            MemoryEstimate.training(backend, modelConfig, trainingConfig.batchSize(), lengths).check(Runtime.getRuntime().maxMemory());
            int validationCount = (int) Math.round(b.validationFraction * shuffled.size());
            if (b.validationFraction > 0 && validationCount == 0) validationCount = 1;
            if (validationCount >= shuffled.size()) {
                throw new MicrogptException("validation fraction " + b.validationFraction + " leaves no training documents ("
                        + shuffled.size() + " in all)");
            }
            this.trainingDocuments = List.copyOf(shuffled.subList(0, shuffled.size() - validationCount));
            this.validationDocuments = List.copyOf(shuffled.subList(shuffled.size() - validationCount, shuffled.size()));
            this.trainingTokens = encode(trainingDocuments);
            this.batch = new int[trainingConfig.batchSize()][];
        }
        if (resumeFrom == null) {
            this.rng = random;
            this.engine = backend.open(Parameters.initialize(modelConfig, rng), b.engineOptions);
            this.history = new RunHistory(1);
        } else {
            if (!tokenizer.symbols().equals(resumeFrom.tokenizer().symbols())) {
                throw new MicrogptException("the dataset's vocabulary differs from the checkpoint's: not the data the run trained on");
            }
            Checkpoint.TrainingState state = resumeFrom.trainingState().orElseThrow();
            this.rng = PyRandom.fromState(state.random());
            this.engine = backend.open(resumeFrom.parameters(), b.engineOptions);
            engine.loadOptimizerState(state.optimizer());
            this.stepsDone = resumeFrom.stepsDone();
            this.history = resumeFrom.history();
        }
    }

    /**
     * Continues a saved run exactly where it stopped: the same data order (reshuffled from the seed), schedule,
     * weights, Adam moments, step count and random state, so that the remaining steps and the samples after
     * them are those of the uninterrupted run.
     *
     * @param dataset    the documents the run trained on (checked against the checkpoint's digest)
     * @param checkpoint a checkpoint saved with training state
     * @param backend    the backend to continue on (any; the weights are converted to its precision)
     * @param options    engine options
     */
    public static TrainingRun resume(Dataset dataset, Checkpoint checkpoint, Backend backend, EngineOptions options) {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("the checkpoint has no training state (it was saved weights-only): it can be sampled but not resumed");
        }
        if (checkpoint.layout() != DataLayout.LINES) {
            throw new MicrogptException("the checkpoint is of a run in the " + checkpoint.layout().flag()
                    + " layout: resume it on its text stream, not on documents");
        }
        checkpoint.data().check(dataset);
        return new TrainingRun(resumeBuilder(builder(dataset), checkpoint, backend, options), checkpoint);
    }

    /**
     * Continues a saved stream-layout run exactly where it stopped (the same windows follow, since the random
     * state is the saved one).
     *
     * @param stream     the text the run trained on (checked against the checkpoint's digest)
     * @param checkpoint a checkpoint of a stream run saved with training state
     * @param backend    the backend to continue on
     * @param options    engine options
     */
    public static TrainingRun resume(TextStream stream, Checkpoint checkpoint, Backend backend, EngineOptions options) {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("the checkpoint has no training state (it was saved weights-only): it can be sampled but not resumed");
        }
        if (checkpoint.layout() != DataLayout.STREAM) {
            throw new MicrogptException("the checkpoint is of a run in the " + checkpoint.layout().flag()
                    + " layout: resume it on its documents, not on a text stream");
        }
        Checkpoint.DataSource data = checkpoint.data();
        if (data.documents() != stream.length() || !data.sha256().equals(stream.sha256())) {
            throw new MicrogptException("the text (" + Text.shown(stream.source()) + ", " + stream.length() + " characters) is not the one the run"
                    + " trained on (" + Text.shown(data.name()) + ", " + data.documents() + " characters, sha256 " + data.sha256().substring(0, 12) + "...)");
        }
        return new TrainingRun(resumeBuilder(builder(stream), checkpoint, backend, options), checkpoint);
    }

    private static Builder resumeBuilder(Builder b, Checkpoint checkpoint, Backend backend, EngineOptions options) {
        ModelConfig m = checkpoint.modelConfig();
        TrainingConfig t = checkpoint.trainingConfig();
        return b.nEmbd(m.nEmbd()).nHead(m.nHead()).nLayer(m.nLayer()).blockSize(m.blockSize())
                .initStd(m.initStd()).steps(t.steps()).batchSize(t.batchSize()).learningRate(t.learningRate())
                .betas(t.beta1(), t.beta2()).eps(t.eps()).seed(t.seed()).controls(t.controls())
                .validationFraction(checkpoint.validationFraction())
                .backend(backend).engineOptions(options);
    }

    /**
     * {@link #resume(Dataset, Checkpoint, Backend, EngineOptions)} on the documents the checkpoint names,
     * reopened by {@link Dataset#open(Checkpoint.DataSource)}: the bundled names, or the regular file at the
     * recorded path, checked against the recorded digest (for a stream-layout run, the text at that path, by
     * {@link #resume(TextStream, Checkpoint, Backend, EngineOptions)}).
     */
    public static TrainingRun resume(Checkpoint checkpoint, Backend backend, EngineOptions options) {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("the checkpoint has no training state (it was saved weights-only): it can be sampled but not resumed");
        }
        if (checkpoint.layout() == DataLayout.STREAM) {
            Checkpoint.DataSource data = checkpoint.data();
            TextStream stream;
            try {
                stream = TextStream.load(InputFiles.path(data.name(), "text"));
            } catch (MicrogptException e) {
                throw new MicrogptException("the run trained on " + Text.quote(data.name()) + ", which cannot be read now ("
                        + e.getMessage() + "); give the same text explicitly (CLI: --data FILE)", e);
            }
            return resume(stream, checkpoint, backend, options);
        }
        return resume(Dataset.open(checkpoint.data()), checkpoint, backend, options);
    }

    /**
     * The run as it is now: weights, and with {@code withTrainingState} Adam's moments and the random state,
     * so that {@link #resume} continues it exactly.
     */
    public Checkpoint checkpoint(boolean withTrainingState) {
        if (dataSource == null) {
            dataSource = stream != null ? new Checkpoint.DataSource(stream.source(), stream.length(), stream.sha256())
                    : Checkpoint.DataSource.of(dataset);
        }
        Checkpoint.TrainingState state = withTrainingState
                ? new Checkpoint.TrainingState(engine.optimizerState(), rng.state()) : null;
        return new Checkpoint(tokenizer, trainingConfig, validationFraction, layout(), stepsDone, dataSource, backend.name(),
                engine.parameters(), state, List.of(), history);
    }

    /** Saves {@link #checkpoint(boolean)} to a file, atomically, in the precision of the run's backend. */
    public void save(Path file, boolean withTrainingState) {
        checkpoint(withTrainingState).write(file, backend.precision());
    }

    /** A builder whose every setting starts at the reference's value. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset, null);
    }

    /**
     * A builder of a run on one text stream (the {@code stream} layout); every setting starts at the
     * reference's value except the validation fraction, which starts at 0.1 (as nanoGPT's).
     */
    public static Builder builder(TextStream stream) {
        return new Builder(null, stream).validationFraction(0.1);
    }

    private int[][] encode(List<String> docs) {
        int[][] tokens = new int[docs.size()][];
        for (int i = 0; i < tokens.length; i++) tokens[i] = tokenizer.encodeDocument(docs.get(i));
        return tokens;
    }

    /** Trains one step and reports it; a {@link MicrogptException} if all steps are done. */
    public StepReport step() {
        if (stepsDone >= trainingConfig.steps()) {
            throw new MicrogptException("all " + trainingConfig.steps() + " steps are done");
        }
        int b = batch.length;
        if (windows != null) {
            windows.draw(rng, batch);
        } else {
            long first = (long) stepsDone * b;
            for (int i = 0; i < b; i++) batch[i] = trainingTokens[(int) ((first + i) % trainingTokens.length)];
        }
        AdamStep adam = AdamStep.of(trainingConfig, stepsDone);
        sampler = null;
        long start = System.nanoTime();
        double loss = engine.trainStep(batch, adam);
        long nanos = System.nanoTime() - start;
        elapsedNanos += nanos;
        stepsDone++;
        history.add(loss);
        return new StepReport(stepsDone, trainingConfig.steps(), loss, adam.learningRate(), b, nanos, elapsedNanos);
    }

    /**
     * Trains until all steps are done or {@link #requestStop()} is called, telling the listener after each
     * step. A stop request lets the current step finish.
     *
     * @return the number of steps done when it returned
     */
    public int train(TrainingListener listener) {
        while (stepsDone < trainingConfig.steps() && !stopRequested) {
            listener.onStep(step());
        }
        return stepsDone;
    }

    /** Asks {@link #train} to return after the step in progress; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Mean loss over these documents (e.g. the validation set), in batches of the training batch size. */
    public double meanLoss(List<String> documents) {
        if (documents.isEmpty()) throw new MicrogptException("no documents to evaluate");
        return meanLoss(encode(documents));
    }

    /**
     * Mean loss over token sequences (documents as {@link Tokenizer#encodeDocument} makes them, or windows of a
     * stream), in batches of the training batch size; nothing changes.
     */
    public double meanLoss(int[][] tokens) {
        if (tokens.length == 0) throw new MicrogptException("no documents to evaluate");
        int b = Math.max(1, batch.length);
        double sum = 0;
        for (int start = 0; start < tokens.length; start += b) {
            int n = Math.min(b, tokens.length - start);
            int[][] chunk = new int[n][];
            System.arraycopy(tokens, start, chunk, 0, n);
            sum += engine.loss(chunk) * n;
        }
        return sum / tokens.length;
    }

    /**
     * Records a validation loss measured after the last step (e.g. {@link #meanLoss} of held-out documents),
     * so that the run's {@link #history()} and its checkpoints keep it.
     */
    public void recordValidation(double loss) {
        history.addValidation(loss);
    }

    /** The losses of the whole run so far, including the steps before a resume (a copy). */
    public RunHistory history() {
        return history.copy();
    }

    /**
     * One sample at this temperature, continuing the run's random stream, as the reference samples, from the
     * weights after the last step (one {@link Sampler} serves every sample until the next step).
     */
    public String sample(double temperature) {
        if (sampler == null) sampler = new Sampler(engine, tokenizer);
        return sampler.sample(rng, temperature);
    }

    /** The dataset this run trains on (null for a run on a {@link TextStream}). */
    public Dataset dataset() {
        return dataset;
    }

    /** The text stream this run trains on (null for a run on documents). */
    public TextStream stream() {
        return stream;
    }

    /** How the run's data is laid out: documents per line, or one stream. */
    public DataLayout layout() {
        return stream != null ? DataLayout.STREAM : DataLayout.LINES;
    }

    /** Where the data came from: the dataset's or the stream's source. */
    public String source() {
        return stream != null ? stream.source() : dataset.source();
    }

    /**
     * The held-out samples evaluated by validation, at most {@code max} of them, the same at every call: the
     * first {@code max} validation documents (encoded), or evenly spaced validation windows of the stream.
     */
    public int[][] validationSamples(int max) {
        if (windows != null) return windows.validationWindows(max);
        return encode(validationDocuments.subList(0, Math.min(max, validationDocuments.size())));
    }

    /** Held-out samples in all: validation documents, or the possible validation windows of the stream. */
    public int heldOutCount() {
        if (windows != null) return windows.validationLength() == 0 ? 0 : windows.validationLength() - modelConfig.blockSize();
        return validationDocuments.size();
    }

    /** Generates text after {@code prefix} by {@link TextGenerator}, continuing the run's random stream. */
    public String generate(String prefix, int length, SamplingSettings settings, java.util.function.IntConsumer onCodePoint) {
        return new TextGenerator(engine, tokenizer).generate(prefix, length, settings, rng, onCodePoint);
    }

    /** The vocabulary. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Training documents in shuffled order (none for a run on a {@link TextStream}). */
    public List<String> trainingDocuments() {
        return trainingDocuments;
    }

    /** Share of the shuffled documents held out for validation. */
    public double validationFraction() {
        return validationFraction;
    }

    /** Held-out documents (empty unless a validation fraction was set, and for a run on a {@link TextStream}). */
    public List<String> validationDocuments() {
        return validationDocuments;
    }

    /** The model shape. */
    public ModelConfig modelConfig() {
        return modelConfig;
    }

    /** The training settings. */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** The backend the engine came from. */
    public Backend backend() {
        return backend;
    }

    /** The opened engine. */
    public Engine engine() {
        return engine;
    }

    /** Steps completed. */
    public int stepsDone() {
        return stepsDone;
    }

    /** Closes the engine. */
    @Override
    public void close() {
        engine.close();
    }

    /** Settings of a run; each starts at the reference's value. */
    public static final class Builder {
        private final Dataset dataset;
        private final TextStream stream;
        private int nEmbd = 16;
        private int nHead = 4;
        private int nLayer = 1;
        private int blockSize = 16;
        private double initStd = ModelConfig.DEFAULT_INIT_STD;
        private int steps = 1000;
        private Integer batchSize;
        private double learningRate = 0.01;
        private double beta1 = 0.85;
        private double beta2 = 0.99;
        private double eps = 1e-8;
        private BigInteger seed = BigInteger.valueOf(42);
        private TrainingControls controls = TrainingControls.none();
        private double validationFraction;
        private Backend backend;
        private EngineOptions engineOptions = EngineOptions.defaults();

        private Builder(Dataset dataset, TextStream stream) {
            this.dataset = dataset;
            this.stream = stream;
        }

        /** Embedding width (default 16). */
        public Builder nEmbd(int v) { nEmbd = v; return this; }

        /** Attention heads (default 4). */
        public Builder nHead(int v) { nHead = v; return this; }

        /** Layers (default 1). */
        public Builder nLayer(int v) { nLayer = v; return this; }

        /** Context length (default 16). */
        public Builder blockSize(int v) { blockSize = v; return this; }

        /** Initial weight spread (default 0.08). */
        public Builder initStd(double v) { initStd = v; return this; }

        /** Steps (default 1000). */
        public Builder steps(int v) { steps = v; return this; }

        /** Documents per step (default: the backend's default). */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** Initial learning rate (default 0.01). */
        public Builder learningRate(double v) { learningRate = v; return this; }

        /** Adam's betas (default 0.85, 0.99). */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }

        /** Adam's eps (default 1e-8). */
        public Builder eps(double v) { eps = v; return this; }

        /** Seed (default 42). */
        public Builder seed(long v) { seed = BigInteger.valueOf(v); return this; }

        /** Seed of any size, as Python's {@code random.seed} takes (default 42). */
        public Builder seed(BigInteger v) { seed = v; return this; }

        /** Warm-up, schedule, weight decay, clipping (default: none, the reference's schedule). */
        public Builder controls(TrainingControls v) { controls = v; return this; }

        /** Share of the shuffled documents (or the stream's tail) held out for validation (default 0; 0.1 for a stream). */
        public Builder validationFraction(double v) {
            if (!(v >= 0 && v < 1)) throw new MicrogptException("validation fraction must be in [0, 1), got " + v);
            validationFraction = v;
            return this;
        }

        /** The backend (default: {@link Backends#reference()}). */
        public Builder backend(Backend v) { backend = v; return this; }

        /** The backend by name. */
        public Builder backend(String name) { backend = Backends.byName(name); return this; }

        /** Engine options (default: automatic). */
        public Builder engineOptions(EngineOptions v) { engineOptions = v; return this; }

        private TrainingConfig trainingConfig(Backend chosen) {
            int b = batchSize != null ? batchSize : chosen.defaultBatchSize();
            return new TrainingConfig(steps, b, learningRate, beta1, beta2, eps, seed, controls);
        }

        /** Seeds, shuffles, builds the vocabulary, initialises the weights and opens the engine. */
        public TrainingRun start() {
            return new TrainingRun(this, null);
        }
    }
}
