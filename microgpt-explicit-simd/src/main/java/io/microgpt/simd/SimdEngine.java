package io.microgpt.simd;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Batches;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.Parameters;

/**
 * The f32 engine: weights, gradient and Adam moments in {@link PaddedLayout}; a step cuts the batch
 * ({@link BatchCut}: into chunks, the rows the activation buffers hold at once, and parts, the units whose weight
 * gradients are summed in registers and added in order), then runs each chunk forward ({@link SimdGpt}),
 * {@link CrossEntropy} and backward, and applies {@link AdamF32} ({@link WeightUpdate}). Buffers are sized once for
 * the largest chunk seen; a step allocates nothing.
 *
 * <p>Who does the work is a {@link Schedule}, chosen per step: the calling thread alone ({@link SerialSchedule}),
 * threads taking whole parts of a one-chunk batch ({@link PartSchedule}, below n_embd {@link #PHASES_FROM_WIDTH}), or
 * threads sharing every phase of every chunk ({@link PhaseSchedule}); {@link ThreadPolicy} decides between one thread
 * and all. The cut fixes the bits, the schedule does not: losses and weights are bit-identical for any thread count.
 */
final class SimdEngine implements Engine {
    /** At most this many threads share a step. */
    static final int MAX_THREADS = BatchCut.MAX_PARTS;
    /**
     * The activations of a chunk stay within this many bytes (64 MB: one or two 256-row windows at 6 layers, 384
     * wide); the system property {@code microgpt.simd.chunkRows} sets the rows of a chunk instead (tests).
     */
    static final long CHUNK_BYTES = 64L << 20;
    /**
     * Threads share every phase from this width on (and for every batch of several chunks); below, they take whole
     * parts, whose two barriers a step cost less than the phases' six when a core is busy (measured: docs/bench-log.md,
     * 2026-12-01 and 2026-12-02). The system property {@code microgpt.simd.schedule} ({@code phases} or {@code parts})
     * forces one (tests).
     */
    static final int PHASES_FROM_WIDTH = 128;

    /** How threads share a step: {@code AUTO} chooses by shape. */
    enum Sharing { AUTO, PARTS, PHASES }

    private final ModelConfig config;
    private final ParameterLayout layout;
    private final SimdWeights weights;
    /** dL/d(every weight), in the padded layout. */
    private final float[] gradient;
    private final AdamF32 adam;
    private final SimdGpt gpt;
    private final CrossEntropy crossEntropy;
    private final ThreadPolicy policy;
    private final WorkerPool pool;
    private final BatchCut cut;
    private final boolean phases;
    /** One attention scratch per thread, lent to whichever schedule runs. */
    private final AttentionScratch[] attentionScratch;
    private final SerialSchedule serial;
    /** Null with one thread. */
    private final PartSchedule partSchedule;
    private final PhaseSchedule phaseSchedule;
    /** The current chunk's parts. */
    private final RowParts parts = new RowParts(BatchCut.MAX_PARTS);
    private int[] documentRows = new int[16];
    private BatchBuffers buffers;

    SimdEngine(Parameters initial, EngineOptions options) {
        this(initial, options, Integer.getInteger("microgpt.simd.chunkRows", 0), sharingProperty());
    }

    /**
     * @param chunkRows rows of a chunk, or 0 for what fits {@link #CHUNK_BYTES}
     * @param sharing   how threads share a step
     */
    SimdEngine(Parameters initial, EngineOptions options, int chunkRows, Sharing sharing) {
        this(initial, options, chunkRows, sharing, PhaseClock.OFF);
    }

    /**
     * An engine whose steps {@code clock} times phase by phase ({@link StepProfile}); unless the clock is
     * {@link PhaseClock#OFF}, one thread only.
     */
    SimdEngine(Parameters initial, EngineOptions options, int chunkRows, Sharing sharing, PhaseClock clock) {
        if (clock.on() && options.threads() != 1) {
            throw new IllegalArgumentException("a phase clock times one thread's steps; asked for " + options.threads() + " threads");
        }
        this.config = initial.config();
        this.layout = initial.layout();
        PaddedLayout padded = new PaddedLayout(layout);
        this.weights = new SimdWeights(padded);
        weights.load(initial.data());
        this.gradient = new float[padded.size()];
        TensorViews gradientViews = TensorViews.of(padded, gradient);
        this.adam = new AdamF32(padded.size());
        WeightUpdate update = new WeightUpdate(weights, gradient, adam, clock);
        this.gpt = new SimdGpt(weights, clock);
        this.crossEntropy = new CrossEntropy(config.vocabSize());
        this.cut = new BatchCut(chunkRows > 0 ? Math.max(chunkRows, config.blockSize()) : SimdFootprint.chunkRows(config, VectorKernels.LANES));
        this.phases = sharing == Sharing.AUTO ? sharesPhases(config) : sharing == Sharing.PHASES;
        this.buffers = new BatchBuffers(config, config.blockSize());
        boolean automatic = options.threads() == 0;
        int threads = Math.min(MAX_THREADS, automatic ? automaticThreads() : options.threads());
        this.policy = new ThreadPolicy(threads, automatic, config.nEmbd(), System::nanoTime);
        this.pool = threads > 1 ? new WorkerPool(threads) : null;
        this.attentionScratch = new AttentionScratch[threads];
        for (int t = 0; t < threads; t++) attentionScratch[t] = new AttentionScratch(config);
        this.serial = new SerialSchedule(config, gpt, crossEntropy, gradientViews, update, attentionScratch[0], clock);
        this.partSchedule = pool == null ? null
                : new PartSchedule(config, gpt, crossEntropy, pool, attentionScratch, gradient, gradientViews, update, padded);
        this.phaseSchedule = pool == null ? null
                : new PhaseSchedule(config, gpt, crossEntropy, pool, attentionScratch, gradientViews, update, padded);
    }

    private static Sharing sharingProperty() {
        String forced = System.getProperty("microgpt.simd.schedule", "");
        return switch (forced) {
            case "" -> Sharing.AUTO;
            case "phases" -> Sharing.PHASES;
            case "parts" -> Sharing.PARTS;
            default -> throw new IllegalArgumentException("-Dmicrogpt.simd.schedule=" + forced + ": use phases, parts, or leave it unset");
        };
    }

    /** Whether threads share the phases of a one-chunk batch at this shape (else they take whole parts). */
    static boolean sharesPhases(ModelConfig c) {
        return c.nEmbd() >= PHASES_FROM_WIDTH;
    }

    /** Threads when the options leave it open: the available processors, at most {@value #MAX_THREADS}. */
    static int automaticThreads() {
        return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
    }

    /** The threads this engine uses at most. */
    int threads() {
        return policy.threads();
    }

    /** Worker threads of this engine still alive (0 with one thread). */
    int liveWorkers() {
        return pool == null ? 0 : pool.liveWorkers();
    }

    /** The policy that picks each step's thread count. */
    ThreadPolicy policy() {
        return policy;
    }

    /** The weights and their transposed copies (for tests). */
    SimdWeights weights() {
        return weights;
    }

    /** Whether threads share the phases of a step (else they take whole parts of a one-chunk batch). */
    boolean sharesPhases() {
        return phases;
    }

    /** Rows a chunk holds at most. */
    int chunkRows() {
        return cut.chunkRows;
    }

    /** Chunks of the last batch. */
    int chunks() {
        return cut.chunks();
    }

    /** Rows the activation buffers hold. */
    int bufferRows() {
        return buffers.capacity;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public double trainStep(int[][] documents, AdamStep step) {
        int rows = cutBatch(documents);
        policy.stepStarted();
        Schedule schedule = scheduleFor(rows);
        double loss = lossAndGradientOfChunks(documents, schedule, step);
        schedule.finish(step);
        policy.stepFinished(schedule == serial ? 1 : policy.threads(), rows);
        return loss;
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradientBuffer) {
        if (gradientBuffer.length != layout.size()) {
            throw new MicrogptException("gradient buffer holds " + gradientBuffer.length + " values but the model has " + layout.size());
        }
        Schedule schedule = scheduleFor(cutBatch(documents));
        double loss = lossAndGradientOfChunks(documents, schedule, null);
        schedule.finish(null);
        weights.layout().fromPadded(gradient, gradientBuffer);
        return loss;
    }

    @Override
    public double loss(int[][] documents) {
        cutBatch(documents);
        double total = 0;
        for (int c = 0; c < cut.chunks(); c++) {
            int rows = arrangeChunk(documents, c);
            gpt.forward(buffers, 0, rows, attentionScratch[0]);
            crossEntropy.apply(buffers, 0, rows, false);
            total += buffers.documentLossSum();
        }
        return total / documents.length;
    }

    /** Checks the batch and cuts it ({@link BatchCut}); returns its rows. */
    private int cutBatch(int[][] documents) {
        Batches.check(documents, config);
        if (documentRows.length < documents.length) documentRows = new int[documents.length];
        int total = 0;
        for (int d = 0; d < documents.length; d++) {
            documentRows[d] = Math.min(config.blockSize(), documents[d].length - 1);
            total += documentRows[d];
        }
        cut.cut(documentRows, documents.length, total);
        return total;
    }

    /** This step's schedule: the phases' or the parts' when the policy gives it several threads, else one thread's. */
    private Schedule scheduleFor(int rows) {
        if (pool == null) return serial;
        if (phases || cut.chunks() > 1) return policy.threadsFor(rows, MAX_THREADS) > 1 ? phaseSchedule : serial;
        cut.partsOf(0, rows, parts);
        return policy.threadsFor(rows, parts.count) > 1 ? partSchedule : serial;
    }

    /**
     * Every chunk in turn: arranged, then forward, loss and backward by the schedule into the gradient; returns the
     * batch loss. {@code update}: the step's Adam, handed to the last chunk (a schedule may run it there).
     */
    private double lossAndGradientOfChunks(int[][] documents, Schedule schedule, AdamStep update) {
        double total = 0;
        for (int c = 0; c < cut.chunks(); c++) {
            int rows = arrangeChunk(documents, c);
            cut.partsOf(c, rows, parts);
            schedule.chunk(buffers, rows, parts, c == cut.chunks() - 1 ? update : null);
            total += buffers.documentLossSum();
        }
        return total / documents.length;
    }

    /** Lays chunk c of the batch out as rows, first growing the buffers if it is the largest chunk yet; returns its rows. */
    private int arrangeChunk(int[][] documents, int c) {
        int first = cut.chunkStart(c);
        int end = cut.chunkStart(c + 1);
        int rows = 0;
        for (int d = first; d < end; d++) rows += documentRows[d];
        if (rows > buffers.capacity || end - first + 1 > buffers.documentStart.length) {
            int capacity = Math.max(rows, (int) Math.min(cut.chunkRows, (long) (end - first) * config.blockSize()));
            buffers = new BatchBuffers(config, capacity);
        }
        return buffers.arrange(documents, first, end, config.blockSize());
    }

    @Override
    public LogitStream openStream() {
        return new SimdLogitStream(weights.copy());
    }

    @Override
    public Parameters parameters() {
        Parameters p = Parameters.zeros(config);
        weights.layout().fromPadded(weights.values, p.data());
        return p;
    }

    @Override
    public void loadParameters(Parameters parameters) {
        if (!parameters.config().equals(config)) {
            throw new MicrogptException("parameters are for " + parameters.config() + ", this engine is " + config);
        }
        weights.load(parameters.data());
    }

    @Override
    public OptimizerState optimizerState() {
        OptimizerState state = OptimizerState.zeros(layout.size());
        weights.layout().fromPadded(adam.firstMoment, state.firstMoment());
        weights.layout().fromPadded(adam.secondMoment, state.secondMoment());
        return state;
    }

    @Override
    public void loadOptimizerState(OptimizerState state) {
        if (state.firstMoment().length != layout.size()) {
            throw new MicrogptException("optimizer state holds " + state.firstMoment().length
                    + " values but the model has " + layout.size());
        }
        weights.layout().toPadded(state.firstMoment(), adam.firstMoment);
        weights.layout().toPadded(state.secondMoment(), adam.secondMoment);
    }

    /**
     * The activation buffers (grown to the largest chunk seen so far: forward values and backward gradients),
     * attention's scratch and the embeddings' gathered gradient (per thread), a phase schedule's dL/dmid; not the
     * weights, their gradient (and the parts' gradients), nor Adam's moments.
     */
    @Override
    public long workingSetBytes() {
        long scratch = serial.bytes();
        if (partSchedule != null) scratch += partSchedule.bytes() + phaseSchedule.bytes();
        for (AttentionScratch a : attentionScratch) scratch += a.bytes();
        return buffers.bytes() + scratch;
    }

    @Override
    public void close() {
        if (pool != null) pool.close();
    }
}
