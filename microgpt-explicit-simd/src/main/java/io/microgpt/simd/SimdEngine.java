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
import java.util.function.IntConsumer;

/**
 * The f32 engine: weights, gradient and Adam moments in {@link PaddedLayout}; a step arranges the batch as
 * rows, runs {@link GptPass} forward, {@link CrossEntropy}, backward, then {@link AdamF32} and refreshes the
 * transposed weights. Buffers are sized once for the largest batch seen; a step allocates nothing.
 *
 * <p>Threads: the batch is cut into at most {@link #MAX_SHARDS} shards of whole documents (balanced by
 * rows), a cut that depends on the batch only. One thread runs the shards in turn, the first writing its
 * gradient into the one buffer and the others adding theirs. Several threads take shards in turn, each shard
 * writing into its own buffer (no clearing needed); then each thread takes whole tensors (every
 * threads-th tensor of the layout, so each gets a mix of sizes), sums the shards' buffers into the gradient
 * in shard order and, in a training step, applies Adam to those tensors and refreshes their transposed
 * copies. Every shard adds to each gradient element once, so both ways perform the same additions in the
 * same order: losses and weights are bit-identical for any thread count. {@link ThreadPolicy} decides how
 * many threads a step uses.
 */
final class SimdEngine implements Engine {
    /** At most this many shards per batch, so at most this many threads share a step. */
    static final int MAX_SHARDS = 4;
    private final ModelConfig config;
    private final ParameterLayout layout;
    private final SimdWeights weights;
    private final float[] gradient;
    private final TensorViews gradientViews;
    private final AdamF32 adam;
    private final GptPass pass;
    private final CrossEntropy crossEntropy;
    private final ThreadPolicy policy;
    private final WorkerPool pool;
    /** Per shard: its gradient buffer (shard 0: {@link #gradient}; the others only when threads &gt; 1). */
    private final float[][] shardGradients;
    private final TensorViews[] shardGradientViews;
    private final EmbeddingGradient[] embeddingGradients;
    /** Per shard: attention's scratch. */
    private final AttentionScratch[] attentionScratch;
    private final int[] shardStart = new int[MAX_SHARDS + 1];
    private final IntConsumer shardTask = this::runShardsOfThread;
    private final IntConsumer reduceTask = this::reduceTensorsOfThread;
    private final IntConsumer reduceAndUpdateTask = this::reduceAndUpdateTensorsOfThread;
    private final IntConsumer updateTask = this::updateTensorsOfThread;
    private int shardCount;
    private int activeThreads;
    private AdamStep pendingStep;
    /** The clipping factor of the pending step's gradient ({@link AdamF32#clipScale}). */
    private float pendingScale = 1f;
    private BatchBuffers buffers;

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
        boolean automatic = options.threads() == 0;
        int threads = Math.min(MAX_SHARDS, automatic ? automaticThreads() : options.threads());
        this.policy = new ThreadPolicy(threads, automatic, config.nEmbd(), System::nanoTime);
        this.pool = threads > 1 ? new WorkerPool(threads) : null;
        this.shardGradients = new float[MAX_SHARDS][];
        this.shardGradientViews = new TensorViews[MAX_SHARDS];
        this.embeddingGradients = new EmbeddingGradient[MAX_SHARDS];
        this.attentionScratch = new AttentionScratch[MAX_SHARDS];
        shardGradients[0] = gradient;
        shardGradientViews[0] = gradientViews;
        for (int s = 0; s < MAX_SHARDS; s++) {
            if (s > 0 && threads > 1) {
                shardGradients[s] = new float[padded.size()];
                shardGradientViews[s] = TensorViews.of(padded, shardGradients[s]);
            }
            embeddingGradients[s] = new EmbeddingGradient(config);
            attentionScratch[s] = new AttentionScratch(config);
        }
    }

    /** Threads when the options leave it open: the available processors, at most {@value #MAX_SHARDS}. */
    static int automaticThreads() {
        return Math.max(1, Math.min(MAX_SHARDS, Runtime.getRuntime().availableProcessors()));
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

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public double trainStep(int[][] documents, AdamStep step) {
        int rows = arrange(documents);
        cutIntoShards(documents.length, rows);
        int t = policy.threadsFor(rows, shardCount);
        policy.stepStarted();
        if (t <= 1) {
            runShardsInTurn();
            pendingScale = AdamF32.clipScale(gradient, step);
            pendingStep = step;
            for (int i = 0; i < weights.layout().tensorCount(); i++) updateTensor(i);
            pendingStep = null;
        } else {
            activeThreads = t;
            pool.run(shardTask);
            if (step.gradClip() > 0) {
                pool.run(reduceTask);   // the whole gradient first: clipping needs its norm
                pendingScale = AdamF32.clipScale(gradient, step);
                pendingStep = step;
                pool.run(updateTask);
            } else {
                pendingScale = 1f;
                pendingStep = step;
                pool.run(reduceAndUpdateTask);
            }
            pendingStep = null;
        }
        policy.stepFinished(t, rows);
        return CrossEntropy.batchLoss(buffers);
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradientOut) {
        if (gradientOut.length != layout.size()) {
            throw new MicrogptException("gradient buffer holds " + gradientOut.length + " values but the model has " + layout.size());
        }
        int rows = arrange(documents);
        cutIntoShards(documents.length, rows);
        int t = policy.threadsFor(rows, shardCount);
        if (t <= 1) {
            runShardsInTurn();
        } else {
            activeThreads = t;
            pool.run(shardTask);
            pool.run(reduceTask);
        }
        weights.layout().fromPadded(gradient, gradientOut);
        return CrossEntropy.batchLoss(buffers);
    }

    @Override
    public double loss(int[][] documents) {
        int rows = arrange(documents);
        pass.forward(buffers, 0, rows, attentionScratch[0]);
        crossEntropy.apply(buffers, 0, rows, false);
        return CrossEntropy.batchLoss(buffers);
    }

    /** One thread: every shard's gradient added into {@link #gradient} in shard order (the first writes it). */
    private void runShardsInTurn() {
        for (int s = 0; s < shardCount; s++) runShard(s, gradientViews, s > 0);
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
        pass.forward(buffers, from, to, attentionScratch[s]);
        crossEntropy.apply(buffers, from, to, true);
        pass.backward(buffers, target, from, to, embeddingGradients[s], add, attentionScratch[s]);
    }

    /** Thread {@code t}'s part of a parallel step: shards t, t + threads, ..., each into its own buffer. */
    private void runShardsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int s = t; s < shardCount; s += activeThreads) runShard(s, shardGradientViews[s], false);
    }

    /** Thread {@code t}'s share of the tensors (every activeThreads-th): their gradient summed over the shards. */
    private void reduceTensorsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int i = t; i < weights.layout().tensorCount(); i += activeThreads) reduceTensor(i);
    }

    /** {@link #reduceTensorsOfThread}, each tensor then updated by Adam and its transposed copy refreshed. */
    private void reduceAndUpdateTensorsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int i = t; i < weights.layout().tensorCount(); i += activeThreads) {
            reduceTensor(i);
            updateTensor(i);
        }
    }

    /** Thread {@code t}'s share of the tensors, their gradient already summed: Adam and the transposed copy. */
    private void updateTensorsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int i = t; i < weights.layout().tensorCount(); i += activeThreads) updateTensor(i);
    }

    /** Adam on tensor i with the pending step and clipping factor, then its transposed copy refreshed while the tensor is still in cache. */
    private void updateTensor(int i) {
        PaddedLayout padded = weights.layout();
        adam.update(weights.values, gradient, pendingStep, pendingScale, padded.start(i), padded.end(i));
        int copy = SimdWeights.transposedOf(i);
        if (copy >= 0) weights.refreshTransposed(copy);
    }

    /** gradient = shard 0 + shard 1 + ... in shard order, over tensor i. */
    private void reduceTensor(int i) {
        int from = weights.layout().start(i);
        int to = weights.layout().end(i);
        for (int s = 1; s < shardCount; s++) {
            if (shardStart[s] == shardStart[s + 1]) continue;   // an empty shard wrote nothing
            VectorKernels.add(gradient, from, shardGradients[s], from, gradient, from, to - from);
        }
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

    /** The activation buffers (grown to the largest batch seen so far: forward values and backward gradients) and attention's scratch. */
    @Override
    public long workingSetBytes() {
        long scratch = 0;
        for (AttentionScratch a : attentionScratch) scratch += a.bytes();
        return buffers.bytes() + scratch;
    }

    @Override
    public void close() {
        if (pool != null) pool.close();
    }
}
