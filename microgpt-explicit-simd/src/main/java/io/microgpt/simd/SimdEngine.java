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
 * transposed weights. Buffers are sized once for the largest chunk seen; a step allocates nothing.
 *
 * <p>The batch is cut by {@link BatchCut}, from its documents and the shape only: into chunks of whole
 * documents that {@link BatchBuffers} hold at once (at most {@link BatchCut#chunkRows} rows: the activations
 * stay within {@link #CHUNK_BYTES}), and into parts, the units whose weight gradients are summed in registers
 * and added in order (the first of the batch writes). The cut fixes the bits; the threads do not.
 *
 * <p>Threads, two ways (chosen by shape, see {@link #splitsPhases}). Shards: the parts of a one-chunk batch are
 * shards that threads take in turn, each shard writing into its own buffer; then each thread takes whole
 * tensors (near equal shares of the elements, see {@link #tensorOwners}), sums the shards' buffers into the gradient in shard order
 * and, in a training step, applies Adam to those tensors and refreshes their transposed copies. Split phases
 * ({@link SplitPass}): each chunk's every phase is split across the threads (rows, (document, head) pairs,
 * weight-gradient outputs), all into the one gradient; Adam as above, or, in a step that does not clip, in the
 * last chunk's last phase: each thread's columns of the embeddings as soon as it has their gradient, then its
 * other tensors ({@link #fusedUpdateOfThread}). A step that clips needs the whole gradient's norm first, a sum
 * on one thread (at 6-6-384-256, 10.7M floats: a few ms of a step of seconds). One thread runs the parts in turn, the
 * first writing its gradient into the one buffer and the others adding theirs. Every part adds to each
 * gradient element once, in part order, however the work is shared: losses and weights are bit-identical for
 * any thread count. {@link ThreadPolicy} decides how many threads a step uses.
 */
final class SimdEngine implements Engine {
    /** At most this many threads share a step. */
    static final int MAX_SHARDS = BatchCut.MAX_PARTS;
    /**
     * The activations of a chunk stay within this many bytes (64 MB: one or two 256-row windows at 6 layers, 384
     * wide); the system property {@code microgpt.simd.chunkRows} sets the rows of a chunk instead (tests).
     */
    static final long CHUNK_BYTES = 64L << 20;
    /**
     * Split phases from this width on (and for every batch of several chunks); shards below. Measured on 2 cores
     * (names, batch 16, the threads' CPU time in their tasks, the machine loaded): the longer thread's share of a
     * step was 7.5 / 11.5 / 26.5 / 115 us per sample with shards and 8.8 / 12.4 / 24.8 / 97 with split phases at
     * n_embd 16 / 32 / 64 / 128; and split phases' barriers (11 a step then, 6 since phases end only where
     * threads read each other's rows) cost more than shards' 2 when a core is busy, so shards keep n_embd 64 (where
     * the longer thread's CPU time is now about even: 334 us a step split, 349 shards, load 6-9). The system property {@code microgpt.simd.split} ({@code phases} or
     * {@code shards}) forces one (tests).
     */
    static final int SPLIT_PHASES_FROM_WIDTH = 128;

    /** How threads share a step: {@code AUTO} chooses by shape. */
    enum Split { AUTO, SHARDS, PHASES }

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
    private final BatchCut cut;
    private final boolean splitPhases;
    private final SplitPass splitPass;
    /** The current chunk's parts. */
    private final RowParts parts = new RowParts(BatchCut.MAX_PARTS);
    /** Per thread: the one part it is running (one thread, or shards). */
    private final RowParts[] partOfThread;
    /** Per part: its gradient buffer in shard mode (part 0: {@link #gradient}; the others made on first use). */
    private final float[][] shardGradients;
    /** Per part: the whole weight-gradient products into its buffer, for {@link #shardViewsOf} buffers. */
    private final GradientShares[] shardShares;
    private BatchBuffers shardViewsOf;
    /** Per thread: the embeddings' gradient and attention's scratch. */
    private final EmbeddingGradient[] embeddingGradients;
    private final AttentionScratch[] attentionScratch;
    private final IntConsumer shardTask = this::runShardsOfThread;
    private final IntConsumer reduceTask = this::reduceTensorsOfThread;
    private final IntConsumer reduceAndUpdateTask = this::reduceAndUpdateTensorsOfThread;
    private final IntConsumer updateTask = this::updateTensorsOfThread;
    private final IntConsumer fusedUpdateTask = this::fusedUpdateOfThread;
    private int[] documentRows = new int[16];
    private int activeThreads;
    /** Per thread count T (2 up to the threads): the thread that takes each tensor in Adam and the reduce. */
    private final int[][] tensorOwner;
    /** As {@link #tensorOwner} but for the tensors after the embeddings (-1 for those: split by columns), in {@link #fusedUpdateOfThread}. */
    private final int[][] fusedOwner;
    /** The embeddings (wte, wpe) are the layout's first tensors. */
    private static final int EMBEDDINGS = 2;
    /** Whether the gradient is still spread over the shards' buffers. */
    private boolean sharded;
    private AdamStep pendingStep;
    /** The clipping factor of the pending step's gradient ({@link AdamF32#clipScale}). */
    private float pendingScale = 1f;
    private BatchBuffers buffers;

    SimdEngine(Parameters initial, EngineOptions options) {
        this(initial, options, Integer.getInteger("microgpt.simd.chunkRows", 0), splitProperty());
    }

    /**
     * @param chunkRows rows of a chunk, or 0 for what fits {@link #CHUNK_BYTES}
     * @param split     how threads share a step
     */
    SimdEngine(Parameters initial, EngineOptions options, int chunkRows, Split split) {
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
        this.cut = new BatchCut(chunkRows > 0 ? Math.max(chunkRows, config.blockSize()) : SimdFootprint.chunkRows(config, VectorKernels.LANES));
        this.splitPhases = split == Split.AUTO ? splitsPhases(config) : split == Split.PHASES;
        this.buffers = new BatchBuffers(config, config.blockSize());
        boolean automatic = options.threads() == 0;
        int threads = Math.min(MAX_SHARDS, automatic ? automaticThreads() : options.threads());
        this.policy = new ThreadPolicy(threads, automatic, config.nEmbd(), System::nanoTime);
        this.pool = threads > 1 ? new WorkerPool(threads) : null;
        this.partOfThread = new RowParts[threads];
        this.embeddingGradients = new EmbeddingGradient[threads];
        this.attentionScratch = new AttentionScratch[threads];
        for (int t = 0; t < threads; t++) {
            partOfThread[t] = new RowParts(1);
            attentionScratch[t] = new AttentionScratch(config);
            if (t == 0 || !splitPhases) embeddingGradients[t] = new EmbeddingGradient(config);
        }
        this.shardGradients = new float[BatchCut.MAX_PARTS][];
        this.shardShares = new GradientShares[BatchCut.MAX_PARTS];
        shardGradients[0] = gradient;
        this.tensorOwner = new int[threads + 1][];
        this.fusedOwner = new int[threads + 1][];
        for (int t = 2; t <= threads; t++) {
            tensorOwner[t] = tensorOwners(padded, t, 0);
            fusedOwner[t] = tensorOwners(padded, t, EMBEDDINGS);
        }
        this.splitPass = pool != null ? new SplitPass(config, pass, crossEntropy, pool, attentionScratch, gradientViews) : null;
    }

    private static Split splitProperty() {
        String forced = System.getProperty("microgpt.simd.split", "");
        return switch (forced) {
            case "" -> Split.AUTO;
            case "phases" -> Split.PHASES;
            case "shards" -> Split.SHARDS;
            default -> throw new IllegalArgumentException("-Dmicrogpt.simd.split=" + forced + ": use phases, shards, or leave it unset");
        };
    }

    /** Whether threads split the phases of a one-chunk batch at this shape (else they take shards). */
    static boolean splitsPhases(ModelConfig c) {
        return c.nEmbd() >= SPLIT_PHASES_FROM_WIDTH;
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

    /** Whether threads split the phases of a step (else they take shards). */
    boolean splitPhases() {
        return splitPhases;
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
        int t = threadsFor(rows);
        policy.stepStarted();
        pendingStep = step;
        pendingScale = 1f;
        // split phases without clipping: Adam runs in the last chunk's last phase, on each thread after its columns
        // of the embeddings' gradient (the other weight gradients are complete by then): one barrier less
        boolean fused = t > 1 && (splitPhases || cut.chunks() > 1) && step.gradClip() <= 0;
        double loss = lossAndGradientOfChunks(documents, t, fused);
        if (!fused) update(t, step);
        pendingStep = null;
        policy.stepFinished(t, rows);
        return loss;
    }

    /** Adam over every tensor after the backward of every chunk: on t threads, the shards' gradients summed first. */
    private void update(int t, AdamStep step) {
        if (t <= 1) {
            pendingScale = AdamF32.clipScale(gradient, step);
            for (int i = 0; i < weights.layout().tensorCount(); i++) updateTensor(i);
        } else if (step.gradClip() > 0 || !sharded) {
            if (sharded) pool.run(reduceTask);   // the whole gradient first: clipping needs its norm
            sharded = false;
            pendingScale = AdamF32.clipScale(gradient, step);
            pool.run(updateTask);
        } else {
            pool.run(reduceAndUpdateTask);
            sharded = false;
        }
    }

    @Override
    public double lossAndGradient(int[][] documents, double[] gradientOut) {
        if (gradientOut.length != layout.size()) {
            throw new MicrogptException("gradient buffer holds " + gradientOut.length + " values but the model has " + layout.size());
        }
        int rows = cutBatch(documents);
        int t = threadsFor(rows);
        double loss = lossAndGradientOfChunks(documents, t, false);
        if (sharded) pool.run(reduceTask);
        sharded = false;
        weights.layout().fromPadded(gradient, gradientOut);
        return loss;
    }

    @Override
    public double loss(int[][] documents) {
        cutBatch(documents);
        double total = 0;
        for (int c = 0; c < cut.chunks(); c++) {
            int rows = arrangeChunk(documents, c);
            pass.forward(buffers, 0, rows, attentionScratch[0]);
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

    /** Threads for this step: shards need a one-chunk batch of several parts. */
    private int threadsFor(int rows) {
        if (splitPhases || cut.chunks() > 1) return policy.threadsFor(rows, MAX_SHARDS);
        cut.partsOf(0, rows, parts);
        return policy.threadsFor(rows, parts.count);
    }

    /**
     * Every chunk in turn: arranged, forward, loss, backward into the gradient (spread over the shards' buffers
     * when {@link #sharded}); returns the batch loss. {@code update}: split phases end with Adam on the
     * {@link #pendingStep} ({@link #fusedUpdateOfThread}).
     */
    private double lossAndGradientOfChunks(int[][] documents, int t, boolean update) {
        double total = 0;
        sharded = false;
        activeThreads = t;
        for (int c = 0; c < cut.chunks(); c++) {
            int rows = arrangeChunk(documents, c);
            cut.partsOf(c, rows, parts);
            if (t <= 1) {
                runPartsInTurn();
            } else if (splitPhases || cut.chunks() > 1) {
                splitPass.run(buffers, rows, parts, update && c == cut.chunks() - 1 ? fusedUpdateTask : null);
            } else {
                activeThreads = t;
                prepareShards();
                pool.run(shardTask);
                sharded = true;
            }
            total += buffers.documentLossSum();
        }
        activeThreads = t;
        return total / documents.length;
    }

    /** One thread: every part's gradient added into {@link #gradient} in part order (the batch's first writes it). */
    private void runPartsInTurn() {
        if (shardViewsOf != buffers) prepareShardViews();
        for (int i = 0; i < parts.count; i++) {
            RowParts part = partOfThread[0].set(parts.start[i], parts.start[i + 1], parts.adds(i));
            runPart(part, shardShares[0], 0);
        }
    }

    /** One part's loss and gradient by thread t, into the buffer of {@code shares} (added unless it writes). */
    private void runPart(RowParts part, GradientShares shares, int t) {
        int from = part.start[0];
        int to = part.start[1];
        pass.forward(buffers, from, to, attentionScratch[t]);
        crossEntropy.apply(buffers, from, to, true);
        pass.backward(buffers, shares, part, from, to, embeddingGradients[t], attentionScratch[t]);
    }

    /** Shard buffers for the parts (made on first use) and their views. */
    private void prepareShards() {
        for (int i = 1; i < parts.count; i++) {
            if (shardGradients[i] == null) {
                shardGradients[i] = new float[gradient.length];
                shardViewsOf = null;
            }
        }
        if (shardViewsOf != buffers) prepareShardViews();
    }

    /** Whole-product shares into each part's buffer (those made so far), for the current buffers. */
    private void prepareShardViews() {
        for (int i = 0; i < shardShares.length; i++) {
            if (shardGradients[i] == null) continue;
            TensorViews target = i == 0 ? gradientViews : TensorViews.of(weights.layout(), shardGradients[i]);
            shardShares[i] = GradientShares.of(config, buffers, target, 0, 1);
        }
        shardViewsOf = buffers;
    }

    /** Thread {@code t}'s part of a sharded step: parts t, t + threads, ..., each into its own buffer. */
    private void runShardsOfThread(int t) {
        if (t >= activeThreads) return;
        for (int i = t; i < parts.count; i += activeThreads) {
            runPart(partOfThread[t].set(parts.start[i], parts.start[i + 1], false), shardShares[i], t);
        }
    }

    /**
     * Which thread takes tensor i (from tensor {@code first} on; the earlier ones: -1) when {@code threads} share
     * the tensors: each tensor, largest first, to the thread with the fewest elements so far (near equal shares; tensors of one layer range from n_embd^2 to
     * 4 n_embd^2 and the embeddings are smaller still, so taking every threads-th tensor is uneven).
     */
    private static int[] tensorOwners(PaddedLayout layout, int threads, int first) {
        int n = layout.tensorCount();
        int[] owner = new int[n];
        long[] load = new long[threads];
        boolean[] placed = new boolean[n];
        for (int i = 0; i < first; i++) {
            placed[i] = true;
            owner[i] = -1;
        }
        for (int k = first; k < n; k++) {
            int largest = -1;
            for (int i = 0; i < n; i++) {
                if (!placed[i] && (largest < 0 || layout.end(i) - layout.start(i) > layout.end(largest) - layout.start(largest))) largest = i;
            }
            int least = 0;
            for (int t = 1; t < threads; t++) if (load[t] < load[least]) least = t;
            owner[largest] = least;
            placed[largest] = true;
            load[least] += layout.end(largest) - layout.start(largest);
        }
        return owner;
    }

    /** Thread {@code t}'s share of the tensors ({@link #tensorOwners}): their gradient summed over the shards. */
    private void reduceTensorsOfThread(int t) {
        int[] owner = tensorOwner[activeThreads];
        for (int i = 0; i < owner.length; i++) if (owner[i] == t) reduceTensor(i);
    }

    /** {@link #reduceTensorsOfThread}, each tensor then updated by Adam and its transposed copy refreshed. */
    private void reduceAndUpdateTensorsOfThread(int t) {
        int[] owner = tensorOwner[activeThreads];
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] != t) continue;
            reduceTensor(i);
            updateTensor(i);
        }
    }

    /**
     * Thread {@code t}'s share of Adam in a split pass's last phase: the embeddings' columns it has just gathered
     * (Adam is element by element, so a range of columns of every row is a share like any other), then its whole
     * tensors among the others ({@link #fusedOwner}), each with its transposed copy.
     */
    private void fusedUpdateOfThread(int t) {
        int c0 = splitPass.embeddingFrom(t);
        int c1 = splitPass.embeddingTo(t);
        PaddedLayout padded = weights.layout();
        for (int i = 0; i < EMBEDDINGS; i++) {
            int stride = VectorKernels.padded(config.nEmbd());
            for (int row = padded.start(i); row < padded.end(i); row += stride) {
                adam.update(weights.values, gradient, pendingStep, 1f, row + c0, row + c1);
            }
        }
        int[] owner = fusedOwner[activeThreads];
        for (int i = EMBEDDINGS; i < owner.length; i++) if (owner[i] == t) updateTensor(i);
    }

    /** Thread {@code t}'s share of the tensors, their gradient already summed: Adam and the transposed copy. */
    private void updateTensorsOfThread(int t) {
        int[] owner = tensorOwner[activeThreads];
        for (int i = 0; i < owner.length; i++) if (owner[i] == t) updateTensor(i);
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
        for (int s = 1; s < parts.count; s++) {
            VectorKernels.add(gradient, from, shardGradients[s], from, gradient, from, to - from);
        }
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
     * attention's scratch and the embeddings' gathered gradient (per thread); not the weights, their gradient
     * (and the shards' gradients), nor Adam's moments.
     */
    @Override
    public long workingSetBytes() {
        long scratch = splitPass == null ? 0 : splitPass.bytes();
        for (AttentionScratch a : attentionScratch) scratch += a.bytes();
        for (EmbeddingGradient e : embeddingGradients) scratch += e == null ? 0 : e.bytes();
        return buffers.bytes() + scratch;
    }

    @Override
    public void close() {
        if (pool != null) pool.close();
    }
}
