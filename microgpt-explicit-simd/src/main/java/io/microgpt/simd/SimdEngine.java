package io.microgpt.simd;

import io.microgpt.core.AdamStep;
import io.microgpt.core.Batches;
import io.microgpt.core.Engine;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.LogitStream;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.OptimizerState;
import io.microgpt.core.ParameterLayout;
import io.microgpt.core.Parameters;
import java.util.function.IntConsumer;

/**
 * The f32 engine: weights, gradient and Adam moments in {@link PaddedLayout}; a step arranges the batch as
 * rows, runs {@link GptPass} forward, {@link CrossEntropy}, backward, then {@link AdamF32} and refreshes the
 * transposed weights. Buffers are sized once for the largest batch seen; a step allocates nothing.
 *
 * <p>Threads: the batch is cut into at most {@link #MAX_SHARDS} shards of whole documents (balanced by
 * rows), a cut that depends on the batch only. One thread runs the shards in turn, the first writing its
 * gradient into the one buffer and the others adding theirs; several threads take shards in turn, each shard
 * writing into its own buffer (no clearing needed), and the buffers are summed in shard order (each thread a share of the tensors, followed by Adam and the transposed copies
 * of those tensors). Every shard adds to each gradient element once, so both ways perform the same additions
 * in the same order: losses and weights are bit-identical for any thread count.
 */
final class SimdEngine implements Engine {
    /** At most this many shards per batch, so at most this many threads share a step. */
    static final int MAX_SHARDS = 4;
    /**
     * With the thread count left automatic, a step runs on one thread unless rows x n_embd^2 (its work, up to a
     * constant) reaches this: measured on 2 cores, a second thread paid at n_embd 16 with 16 documents (~110
     * rows, 28k) and lost at n_embd 8 with 16 documents (7k) and at n_embd 16 with 4 documents (7k).
     */
    static final long MIN_PARALLEL_WORK = 16_384;
    /** With the count left automatic, every this many steps the mode not in use is timed again. */
    static final int PROBE_INTERVAL = 50;

    private final ModelConfig config;
    private final ParameterLayout layout;
    private final SimdWeights weights;
    private final float[] gradient;
    private final TensorViews gradientViews;
    private final AdamF32 adam;
    private final GptPass pass;
    private final CrossEntropy crossEntropy;
    private final int threads;
    private final boolean automatic;
    private final WorkerPool pool;
    /** Per shard: its gradient buffer (shard 0: {@link #gradient}; the others only when threads &gt; 1). */
    private final float[][] shardGradients;
    private final TensorViews[] shardGradientViews;
    private final EmbeddingGradient[] embeddingGradients;
    private final int[] shardStart = new int[MAX_SHARDS + 1];
    private final IntConsumer shardTask = this::runShardsOfThread;
    private final IntConsumer reduceTask = this::reduceAndUpdateTensors;
    private final IntConsumer updateTask = this::updateTensors;
    private int shardCount;
    private int activeThreads;
    private AdamStep pendingStep;
    private float pendingScale = 1f;
    private BatchBuffers buffers;
    /**
     * Automatic mode's last three timings, in nanoseconds per row, of steps on one thread ([0]) and on all
     * threads ([1]); 0 = none yet. Their median judges a mode, so that one step stretched by a preemption does
     * not.
     */
    private final double[][] nanosPerRow = new double[2][3];
    private final int[] timings = new int[2];
    private int stepsSinceProbe;

    SimdEngine(Parameters initial, EngineOptions options) {
        this.config = initial.config();
        this.layout = initial.layout();
        PaddedLayout padded = new PaddedLayout(layout);
        this.weights = new SimdWeights(padded);
        weights.load(initial.data());
        this.gradient = new float[padded.size()];
        this.gradientViews = TensorViews.of(padded, gradient);
        this.adam = new AdamF32(padded.size());
        this.pass = new GptPass(weights);
        this.crossEntropy = new CrossEntropy(config.vocabSize());
        this.buffers = new BatchBuffers(config, config.blockSize());
        this.automatic = options.threads() == 0;
        this.threads = Math.min(MAX_SHARDS, automatic ? automaticThreads() : options.threads());
        this.pool = threads > 1 ? new WorkerPool(threads) : null;
        this.shardGradients = new float[MAX_SHARDS][];
        this.shardGradientViews = new TensorViews[MAX_SHARDS];
        this.embeddingGradients = new EmbeddingGradient[MAX_SHARDS];
        shardGradients[0] = gradient;
        shardGradientViews[0] = gradientViews;
        for (int s = 0; s < MAX_SHARDS; s++) {
            if (s > 0 && threads > 1) {
                shardGradients[s] = new float[padded.size()];
                shardGradientViews[s] = TensorViews.of(padded, shardGradients[s]);
            }
            embeddingGradients[s] = new EmbeddingGradient(config);
        }
    }

    /** Threads when the options leave it open: the available processors, at most {@value #MAX_SHARDS}. */
    static int automaticThreads() {
        return Math.max(1, Math.min(MAX_SHARDS, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Threads for a step of this many rows: no more than there are shards. With the count left automatic: one
     * for small steps (see {@link #MIN_PARALLEL_WORK}); otherwise whichever of one thread and all threads has
     * been faster per row lately, timing the other again every {@value #PROBE_INTERVAL} steps. (A second
     * core busy with other work makes the parallel step several times slower, and nothing else tells.) The
     * choice never changes the results: they are the same for any thread count.
     */
    int threadsFor(int rows, int shards) {
        int all = Math.min(threads, shards);
        if (!automatic || all <= 1) return all;
        if ((long) rows * config.nEmbd() * config.nEmbd() < MIN_PARALLEL_WORK) return 1;
        if (timings[1] == 0) return all;
        if (timings[0] == 0) return 1;
        boolean parallel = typical(1) < typical(0);
        if (++stepsSinceProbe >= PROBE_INTERVAL) {
            stepsSinceProbe = 0;
            parallel = !parallel;
        }
        return parallel ? all : 1;
    }

    /** Keeps a step's time per row among the last three of the mode it ran in. */
    private void recordStep(int threadsUsed, int rows, long nanos) {
        if (!automatic || threads <= 1) return;
        int mode = threadsUsed > 1 ? 1 : 0;
        nanosPerRow[mode][timings[mode]++ % 3] = (double) nanos / rows;
    }

    /** The median of a mode's last three timings (the smaller, while there are only two). */
    private double typical(int mode) {
        double[] t = nanosPerRow[mode];
        if (timings[mode] == 1) return t[0];
        if (timings[mode] == 2) return Math.min(t[0], t[1]);
        return Math.max(Math.min(t[0], t[1]), Math.min(Math.max(t[0], t[1]), t[2]));
    }

    /** The threads this engine uses at most. */
    int threads() {
        return threads;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public double trainStep(int[][] documents, AdamStep step) {
        return forwardBackward(documents, step);
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradientOut) {
        if (gradientOut.length != layout.size()) {
            throw new MicrogptException("gradient buffer holds " + gradientOut.length + " values but the model has " + layout.size());
        }
        double loss = forwardBackward(documents, null);
        weights.layout().fromPadded(gradient, gradientOut);
        return loss;
    }

    @Override
    public double loss(int[][] documents) {
        int rows = arrange(documents);
        pass.forward(buffers, 0, rows);
        crossEntropy.apply(buffers, 0, rows, false);
        return CrossEntropy.batchLoss(buffers);
    }

    /** Loss and gradient of the batch into {@link #gradient}, then (if {@code step} is given) Adam. */
    private double forwardBackward(int[][] documents, AdamStep step) {
        int rows = arrange(documents);
        cutIntoShards(documents.length, rows);
        int t = threadsFor(rows, shardCount);
        long start = System.nanoTime();
        if (t <= 1) {
            for (int s = 0; s < shardCount; s++) runShard(s, gradientViews, s > 0);
            if (step != null) {
                adam.update(weights.values, gradient, step, AdamF32.clipScale(gradient, step), 0, gradient.length);
                weights.refreshTransposed();
            }
        } else {
            activeThreads = t;
            pool.run(shardTask);
            if (step != null && step.gradClip() > 0) {
                pool.run(reduceTask);   // the whole gradient first: clipping needs its norm
                pendingScale = AdamF32.clipScale(gradient, step);
                pendingStep = step;
                pool.run(updateTask);
            } else {
                pendingScale = 1f;
                pendingStep = step;
                pool.run(reduceTask);
            }
            pendingStep = null;
        }
        if (step != null) recordStep(t, rows, System.nanoTime() - start);
        return CrossEntropy.batchLoss(buffers);
    }

    /** Shard boundaries at document starts, near equal shares of the rows. */
    private void cutIntoShards(int documents, int rows) {
        shardCount = Math.min(documents, MAX_SHARDS);
        int d = 0;
        shardStart[0] = 0;
        for (int s = 1; s < shardCount; s++) {
            int target = (int) ((long) rows * s / shardCount);
            while (d < documents && buffers.documentStart[d] < target) d++;
            shardStart[s] = buffers.documentStart[d];
        }
        shardStart[shardCount] = rows;
    }

    /** Shard s's loss and gradient, added into {@code target} or (unless {@code add}) written there. */
    private void runShard(int s, TensorViews target, boolean add) {
        int from = shardStart[s];
        int to = shardStart[s + 1];
        if (from == to) return;
        pass.forward(buffers, from, to);
        crossEntropy.apply(buffers, from, to, true);
        pass.backward(buffers, target, from, to, embeddingGradients[s], add);
    }

    /** Thread {@code t}'s part of a parallel step: shards t, t + threads, ..., each into its own buffer. */
    private void runShardsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int s = t; s < shardCount; s += activeThreads) runShard(s, shardGradientViews[s], false);
    }

    /**
     * Thread {@code t}'s share of the tensors (every activeThreads-th, so each thread gets a mix of sizes):
     * gradient = shard 0 + shard 1 + ... in order, then (if a step is pending) Adam and the transposed copy.
     */
    private void reduceAndUpdateTensors(int t) {
        if (t >= activeThreads) return;
        PaddedLayout padded = weights.layout();
        for (int i = t; i < padded.tensorCount(); i += activeThreads) {
            int from = padded.start(i);
            int to = padded.end(i);
            for (int s = 1; s < shardCount; s++) {
                if (shardStart[s] == shardStart[s + 1]) continue;   // an empty shard wrote nothing
                VectorKernels.add(gradient, from, shardGradients[s], from, gradient, from, to - from);
            }
            if (pendingStep != null) updateTensor(i);
        }
    }

    /** Thread {@code t}'s share of the tensors (as in {@link #reduceAndUpdateTensors}): Adam and the transposed copy. */
    private void updateTensors(int t) {
        if (t >= activeThreads) return;
        for (int i = t; i < weights.layout().tensorCount(); i += activeThreads) updateTensor(i);
    }

    private void updateTensor(int i) {
        PaddedLayout padded = weights.layout();
        adam.update(weights.values, gradient, pendingStep, pendingScale, padded.start(i), padded.end(i));
        int copy = SimdWeights.transposedOf(i);
        if (copy >= 0) weights.refreshTransposed(copy);
    }

    /** Checks the batch, grows the buffers if it is the largest yet, and lays it out as rows. */
    private int arrange(int[][] documents) {
        Batches.check(documents, config);
        int rows = BatchBuffers.rowsFor(documents, config.blockSize());
        if (rows > buffers.capacity || documents.length + 1 > buffers.documentStart.length) {
            buffers = new BatchBuffers(config, Math.max(rows, documents.length * config.blockSize()));
        }
        return buffers.arrange(documents, config.blockSize());
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

    /** The activation buffers: grown to the largest batch seen so far (forward values and backward gradients). */
    @Override
    public long workingSetBytes() {
        return buffers.bytes();
    }

    @Override
    public void close() {
        if (pool != null) pool.close();
    }
}
