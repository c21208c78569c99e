package io.microgpt.core;

import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
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
import java.util.function.Function;

/**
 * One training run in progress: the seeded random source, the data laid out for the run, the tokenizer, the
 * opened engine and the number of steps done. Created by {@link #builder(TrainingData)} (or continued from a
 * {@link Checkpoint} by {@link #resume}), in the reference's order of random draws: seed, lay out the data
 * ({@link TrainingData#samples}: the documents' shuffle; a stream draws nothing), initialise the weights;
 * each step then takes its batch ({@link TrainingData.Samples#fill}: the next documents of the shuffled order,
 * or windows at offsets drawn from the random source), and sampling continues the same stream.
 *
 * <p><b>Threads.</b> A run may be shared between threads. Everything that reads or changes its weights or its
 * random stream ({@link #step}, {@link #sample}, {@link #generate}, {@link #meanLoss}, {@link #checkpoint} and
 * so {@link #save}, {@link #recordValidation}, {@link #history}, {@link #close}) holds the run's lock for its
 * whole call, so calls from several threads take turns, each one whole. The rule for the random source: every sample
 * continues the run's one random stream, in the order the calls take the lock. So samples drawn by several
 * threads at once are each valid, and together they are exactly the samples one thread would draw by as many
 * calls (which thread gets which is the scheduler's choice); one thread alone gets the reference's samples as
 * before. {@link #train} takes the lock step by step, so other calls (and {@link #requestStop()}, which takes no
 * lock) come between steps; a sample taken between steps moves the random stream, as it would in one thread,
 * which changes the windows a stream run draws next. {@link #engine()} is the engine itself: using it directly
 * bypasses the lock. The configuration, data and tokenizer accessors return immutable values.
 */
public final class TrainingRun implements AutoCloseable {
    private final TrainingData data;
    private final TrainingData.Samples samples;
    private final PyRandom rng;
    private final Tokenizer tokenizer;
    private final ModelConfig modelConfig;
    private final TrainingConfig trainingConfig;
    private final Backend backend;
    private final Engine engine;
    private final int[][] batch;
    private final double validationFraction;
    private final RunHistory history;
    private DataSource dataSource;
    /** Samples the weights after the last step: made by the first {@link #sample} after it, dropped by the next step. */
    private Sampler sampler;
    private volatile int stepsDone;
    private long elapsedNanos;
    private volatile boolean stopRequested;

    private TrainingRun(Builder b, Checkpoint resumeFrom) {
        this.data = b.data;
        this.backend = b.backend != null ? b.backend : Backends.reference();
        this.trainingConfig = b.trainingConfig(backend);
        this.validationFraction = b.validationFraction;
        PyRandom random = new PyRandom(trainingConfig.seed());
        this.tokenizer = data.tokenizer();
        ModelBudget.check(data.source(), tokenizer.vocabSize(), b.nEmbd, b.nLayer, b.blockSize, Runtime.getRuntime().maxMemory());
        this.modelConfig = new ModelConfig(tokenizer.vocabSize(), b.nEmbd, b.nHead, b.nLayer, b.blockSize, b.initStd);
        MemoryEstimate.training(backend, modelConfig, trainingConfig.batchSize(), data.sampleLengths(b.blockSize))
                .check(Runtime.getRuntime().maxMemory());
        this.samples = data.samples(random, b.blockSize, b.validationFraction);
        this.batch = samples.newBatch(trainingConfig.batchSize());
        if (resumeFrom == null) {
            this.rng = random;
            this.engine = backend.open(Parameters.initialize(modelConfig, rng), b.engineOptions);
            this.history = new RunHistory(1);
        } else {
            Tokenizer saved = resumeFrom.tokenizer();
            if (!tokenizer.kind().equals(saved.kind()) || !tokenizer.serialized().equals(saved.serialized())) {
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
     * Continues a saved run exactly where it stopped: the same data order (reshuffled from the seed) or the same
     * windows (the random state is the saved one), schedule, weights, Adam moments, step count and random
     * state, so that the remaining steps and the samples after them are those of the uninterrupted run.
     *
     * @param data       the data the run trained on, in its layout (checked against the checkpoint's digest)
     * @param checkpoint a checkpoint saved with training state
     * @param backend    the backend to continue on (any; the weights are converted to its precision)
     * @param options    engine options
     */
    public static TrainingRun resume(TrainingData data, Checkpoint checkpoint, Backend backend, EngineOptions options) {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("the checkpoint has no training state (it was saved weights-only): it can be sampled but not resumed");
        }
        if (checkpoint.layout() != data.layout()) {
            throw new MicrogptException("the checkpoint is of a run in the " + checkpoint.layout().flag() + " layout: resume it on its "
                    + checkpoint.layout().contents() + ", not on " + data.layout().contents());
        }
        checkpoint.data().check(data);
        // A run on another tokenizer than the data's own (a byte-level BPE) continues on the checkpoint's.
        TrainingData encoded = checkpoint.tokenizer().kind().equals(data.tokenizer().kind()) ? data
                : data.withTokenizer(checkpoint.tokenizer(), checkpoint.validationFraction());
        return new TrainingRun(resumeBuilder(builder(encoded), checkpoint, backend, options), checkpoint);
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
     * {@link #resume(TrainingData, Checkpoint, Backend, EngineOptions)} on the data the checkpoint names,
     * reopened by {@link DataLayout#reopen}: the bundled names, or the regular file at the recorded path,
     * checked against the recorded digest.
     */
    public static TrainingRun resume(Checkpoint checkpoint, Backend backend, EngineOptions options) {
        if (checkpoint.trainingState().isEmpty()) {
            throw new MicrogptException("the checkpoint has no training state (it was saved weights-only): it can be sampled but not resumed");
        }
        return resume(checkpoint.layout().reopen(checkpoint.data()), checkpoint, backend, options);
    }

    /**
     * The run as it is now: weights, and with {@code withTrainingState} Adam's moments and the random state,
     * so that {@link #resume} continues it exactly.
     */
    public synchronized Checkpoint checkpoint(boolean withTrainingState) {
        if (dataSource == null) dataSource = DataSource.of(data);
        Checkpoint.TrainingState state = withTrainingState
                ? new Checkpoint.TrainingState(engine.optimizerState(), rng.state()) : null;
        return new Checkpoint(tokenizer, trainingConfig, validationFraction, data.layout(), stepsDone, dataSource, backend.name(),
                engine.parameters(), state, List.of(), history);
    }

    /**
     * Saves {@link #checkpoint(boolean)} to a file, atomically, in the precision of the run's backend (the lock is
     * held while the checkpoint is taken, not while it is written).
     */
    public void save(Path file, boolean withTrainingState) {
        checkpoint(withTrainingState).write(file, backend.precision());
    }

    /**
     * A builder of a run on this data, every setting at the reference's value but the validation fraction,
     * which starts at the layout's ({@link DataLayout#defaultValidationFraction()}: 0 for documents, 0.1 for a
     * stream, as nanoGPT's).
     */
    public static Builder builder(TrainingData data) {
        return new Builder(data).validationFraction(data.layout().defaultValidationFraction());
    }

    private int[][] encode(List<String> docs) {
        int[][] tokens = new int[docs.size()][];
        for (int i = 0; i < tokens.length; i++) tokens[i] = tokenizer.encodeDocument(docs.get(i));
        return tokens;
    }

    /** Trains one step and reports it; a {@link MicrogptException} if all steps are done. */
    public synchronized StepReport step() {
        if (stepsDone >= trainingConfig.steps()) {
            throw new MicrogptException("all " + trainingConfig.steps() + " steps are done");
        }
        int b = batch.length;
        samples.fill(stepsDone, rng, batch);
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

    /** Asks {@link #train} to return after the step in progress; safe from any thread, takes no lock. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Mean loss over these documents (e.g. the validation set), in batches of the training batch size. */
    public synchronized double meanLoss(List<String> documents) {
        if (documents.isEmpty()) throw new MicrogptException("no documents to evaluate");
        return meanLoss(encode(documents));
    }

    /**
     * Mean loss over token sequences (documents as {@link Tokenizer#encodeDocument} makes them, or windows of a
     * stream), in batches of the training batch size; nothing changes.
     */
    public synchronized double meanLoss(int[][] tokens) {
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
     * Bits per character of held-out samples whose {@link #meanLoss} is {@code meanLoss}: their negative
     * log-likelihood in bits over the characters they predict ({@link Tokenizer#characters}: a BOS that ends a
     * document counts as one, the line break it stands for), comparable across tokenizers. A stream's windows (all
     * of one length): the windows' bits over their characters. Documents: each document's bits over its
     * characters, averaged over the documents as the loss is (one more forward pass per document when tokens
     * hold other than one character each). With a character tokenizer it is {@code meanLoss / ln 2}.
     */
    public synchronized double bitsPerCharacter(int[][] samples, double meanLoss) {
        if (samples.length == 0) throw new MicrogptException("no documents to evaluate");
        int blockSize = modelConfig.blockSize();
        long positions = 0;
        long characters = 0;
        boolean oneEach = true;
        int[] charactersOf = new int[samples.length];
        for (int s = 0; s < samples.length; s++) {
            int[] sample = samples[s];
            int predicted = Math.min(blockSize, sample.length - 1);
            for (int k = 1; k <= predicted; k++) charactersOf[s] += tokenizer.characters(sample[k]);
            positions += predicted;
            characters += charactersOf[s];
            oneEach &= charactersOf[s] == predicted;
        }
        double ln2 = Math.log(2);
        if (oneEach) return meanLoss / ln2;
        if (data.layout() == DataLayout.STREAM) return meanLoss * positions / ln2 / characters;
        double sum = 0;
        for (int s = 0; s < samples.length; s++) {
            int predicted = Math.min(blockSize, samples[s].length - 1);
            sum += engine.loss(new int[][] {samples[s]}) * predicted / ln2 / charactersOf[s];
        }
        return sum / samples.length;
    }

    /**
     * Records a validation loss measured after the last step (e.g. {@link #meanLoss} of held-out documents),
     * so that the run's {@link #history()} and its checkpoints keep it.
     */
    public synchronized void recordValidation(double loss) {
        history.addValidation(loss, Double.NaN);
    }

    /** Records a validation loss and its {@link #bitsPerCharacter} after the last step (the history keeps both). */
    public synchronized void recordValidation(double loss, double bitsPerCharacter) {
        history.addValidation(loss, bitsPerCharacter);
    }

    /** The losses of the whole run so far, including the steps before a resume (a copy). */
    public synchronized RunHistory history() {
        return history.copy();
    }

    /**
     * One sample at this temperature, continuing the run's random stream, as the reference samples, from the
     * weights after the last step (one {@link Sampler} serves every sample until the next step).
     */
    public synchronized String sample(double temperature) {
        if (sampler == null) sampler = new Sampler(engine, tokenizer);
        return sampler.sample(rng, temperature);
    }

    /** The data this run trains on. */
    public TrainingData data() {
        return data;
    }

    /** How the run's data is laid out: documents per line, or one stream. */
    public DataLayout layout() {
        return data.layout();
    }

    /** Where the data came from: the dataset's or the stream's source. */
    public String source() {
        return data.source();
    }

    /**
     * The held-out samples evaluated by validation, at most {@code max} of them, the same at every call: the
     * first {@code max} validation documents (encoded), or evenly spaced validation windows of the stream.
     */
    public int[][] validationSamples(int max) {
        return samples.validationSamples(max);
    }

    /** Held-out samples in all: validation documents, or the possible validation windows of the stream. */
    public int heldOutCount() {
        return samples.heldOutCount();
    }

    /**
     * Generates text after {@code prefix} by {@link TextGenerator}, continuing the run's random stream;
     * {@code onCodePoint} is called under the run's lock (other threads' calls wait while it runs).
     */
    public synchronized String generate(String prefix, int length, SamplingSettings settings, java.util.function.IntConsumer onCodePoint) {
        return new TextGenerator(engine, tokenizer).generate(prefix, length, settings, rng, onCodePoint);
    }

    /** The vocabulary. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Training documents in shuffled order (none for a run on a {@link TextStream}). */
    public List<String> trainingDocuments() {
        return samples.trainingDocuments();
    }

    /** Share of the shuffled documents held out for validation. */
    public double validationFraction() {
        return validationFraction;
    }

    /** Held-out documents (empty unless a validation fraction was set, and for a run on a {@link TextStream}). */
    public List<String> validationDocuments() {
        return samples.validationDocuments();
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

    /** The opened engine (not guarded by the run's lock: while other threads use the run, leave it alone). */
    public Engine engine() {
        return engine;
    }

    /** Steps completed. */
    public int stepsDone() {
        return stepsDone;
    }

    /** Closes the engine (after any call in progress). */
    @Override
    public synchronized void close() {
        engine.close();
    }

    /**
     * The share held out for validation must be at least 0 and below 1; a {@link MicrogptException} naming it as
     * {@code name} calls it otherwise.
     */
    public static void checkValidationFraction(double fraction, Function<Setting, String> name) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new MicrogptException(name.apply(Setting.VALIDATION_FRACTION) + " must be at least 0 and below 1, got " + fraction);
        }
    }

    /** Settings of a run; each starts at the reference's value. */
    public static final class Builder {
        private final TrainingData data;
        private int nEmbd = ModelConfig.DEFAULT_N_EMBD;
        private int nHead = ModelConfig.DEFAULT_N_HEAD;
        private int nLayer = ModelConfig.DEFAULT_N_LAYER;
        private int blockSize = ModelConfig.DEFAULT_BLOCK_SIZE;
        private double initStd = ModelConfig.DEFAULT_INIT_STD;
        private int steps = TrainingConfig.DEFAULT_STEPS;
        private Integer batchSize;
        private double learningRate = TrainingConfig.DEFAULT_LEARNING_RATE;
        private double beta1 = TrainingConfig.DEFAULT_BETA1;
        private double beta2 = TrainingConfig.DEFAULT_BETA2;
        private double eps = TrainingConfig.DEFAULT_EPS;
        private BigInteger seed = BigInteger.valueOf(TrainingConfig.DEFAULT_SEED);
        private TrainingControls controls = TrainingControls.none();
        private double validationFraction;
        private Backend backend;
        private EngineOptions engineOptions = EngineOptions.defaults();

        private Builder(TrainingData data) {
            this.data = data;
        }

        /** Embedding width (default {@value ModelConfig#DEFAULT_N_EMBD}). */
        public Builder nEmbd(int v) { nEmbd = v; return this; }

        /** Attention heads (default {@value ModelConfig#DEFAULT_N_HEAD}). */
        public Builder nHead(int v) { nHead = v; return this; }

        /** Layers (default {@value ModelConfig#DEFAULT_N_LAYER}). */
        public Builder nLayer(int v) { nLayer = v; return this; }

        /** Context length (default {@value ModelConfig#DEFAULT_BLOCK_SIZE}). */
        public Builder blockSize(int v) { blockSize = v; return this; }

        /** Initial weight spread (default {@value ModelConfig#DEFAULT_INIT_STD}). */
        public Builder initStd(double v) { initStd = v; return this; }

        /** Steps (default {@value TrainingConfig#DEFAULT_STEPS}). */
        public Builder steps(int v) { steps = v; return this; }

        /** Documents per step (default: the backend's default). */
        public Builder batchSize(int v) { batchSize = v; return this; }

        /** Initial learning rate (default {@value TrainingConfig#DEFAULT_LEARNING_RATE}). */
        public Builder learningRate(double v) { learningRate = v; return this; }

        /** Adam's betas (default {@value TrainingConfig#DEFAULT_BETA1}, {@value TrainingConfig#DEFAULT_BETA2}). */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }

        /** Adam's eps (default {@value TrainingConfig#DEFAULT_EPS}). */
        public Builder eps(double v) { eps = v; return this; }

        /** Seed (default {@value TrainingConfig#DEFAULT_SEED}). */
        public Builder seed(long v) { seed = BigInteger.valueOf(v); return this; }

        /** Seed of any size, as Python's {@code random.seed} takes (default {@value TrainingConfig#DEFAULT_SEED}). */
        public Builder seed(BigInteger v) { seed = v; return this; }

        /** Warm-up, schedule, weight decay, clipping (default: none, the reference's schedule). */
        public Builder controls(TrainingControls v) { controls = v; return this; }

        /** Share of the shuffled documents (or the stream's tail) held out for validation (default: {@link DataLayout#defaultValidationFraction()}). */
        public Builder validationFraction(double v) {
            checkValidationFraction(v, Setting::described);
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

        /** Seeds, lays out the data (shuffles the documents), initialises the weights and opens the engine. */
        public TrainingRun start() {
            return new TrainingRun(this, null);
        }
    }
}
