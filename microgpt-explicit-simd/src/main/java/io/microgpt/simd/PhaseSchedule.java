package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.AdamStep;
import java.util.function.IntConsumer;

/**
 * A step whose every phase the threads of a {@link WorkerPool} share: the row-wise steps (norms, the matrix products
 * by activations, cross-entropy) by ranges of rows; attention by (document, head) pairs, each thread with its own
 * {@link AttentionScratch}; the weight gradients by ranges of outputs ({@link WeightGradients#share}), each summed over
 * every row of a part; the embeddings' gradient by ranges of columns. Every element is computed by one thread in the
 * order one thread would compute it, so the bits are those of {@link SimdGpt#backward} over the same parts, for any
 * thread count; any number of chunks.
 *
 * <p>A phase ends (the pool's run returns: a barrier) only where the next step reads what other threads
 * wrote: attention reads every row of a document, a weight gradient every row of the chunk. A thread's rows
 * need nothing but its own rows from one such step to the next, so the row-wise steps between them run in one
 * phase, the end of forward and the start of backward included:
 * <pre>
 * rows:  embeddings, layer 0 to attention
 * per layer l = 0 .. L-1:
 *   pairs: attention of l
 *   rows:  l from attention, then l + 1 to attention; after the last layer: logits, loss, dL/dlogits,
 *          dL/dstream and layer L-1's rows back to attention (dL/dh, dL/dmid, dL/dattended)
 * per layer l = L-1 .. 0:
 *   outputs and pairs: dL/dfc2, dL/dfc1, dL/dwo of l (and dL/dlm_head after the last), attention of l back
 *   outputs and rows:  dL/dwq, dL/dwk, dL/dwv of l; rows to dL/din, then layer l-1's rows back to attention
 *                      (after layer 0: back through the embeddings' norm)
 * columns: the embeddings' gradient (and, in a training step's last chunk, Adam: see below)
 * </pre>
 * That is 4 per layer and 2 more (6 at one layer, 18 at four), whatever the batch. dL/dmid is kept in a buffer
 * of its own ({@link #gradMid}) while the weight gradients still read dL/dout in b.gradStream.
 *
 * <p>Adam: in a training step that does not clip, in the last chunk's last phase, each thread updating the columns of
 * the embeddings it has just gathered (Adam is element by element) and then its whole tensors among the others (the
 * other weight gradients are complete by then): no phase of its own. A step that clips needs the whole gradient's
 * norm first (a sum on one thread: at 6-6-384-256, 10.7M floats, a few ms of a step of seconds), then each thread
 * updates whole tensors.
 */
final class PhaseSchedule implements Schedule {
    private final int threads;
    private final int heads;
    private final SimdGpt gpt;
    private final TransformerBlock[] blocks;
    private final CrossEntropy crossEntropy;
    private final WorkerPool pool;
    private final AttentionScratch[] scratch;
    private final EmbeddingGradient embeddings;
    private final ModelConfig config;
    private final TensorViews gradient;
    private final WeightUpdate update;
    /** Rows of a thread's share are whole blocks of this many (the multiply kernel's register block). */
    private final int rowBlock;
    /** Per thread: its share of the weight gradients, for {@link #shared} buffers. */
    private WeightGradients[] shares;
    /** dL/dmid of the layer backward is in (b.gradStream holds dL/dout until its weight gradients are done), for {@link #shared} buffers. */
    private Matrix gradMid;
    private BatchBuffers shared;
    /** Per thread t: rows [rowStart[t], rowStart[t + 1]) of the chunk. */
    private final int[] rowStart;
    /** Per thread t: (document, head) pairs [pairStart[t], pairStart[t + 1]), pair = document x heads + head. */
    private final int[] pairStart;
    private BatchBuffers b;
    private RowParts parts;
    private int layer;
    /** Adam to run in the last phase (a training step's last chunk, no clipping), else null. */
    private AdamStep fused;
    /** Whether this step's Adam has run. */
    private boolean updated;
    /** Which thread updates each tensor after the embeddings in the last phase (the embeddings: -1, by columns). */
    private final int[] fusedOwner;
    /** Which thread updates each tensor when Adam runs after the chunks. */
    private final int[] owner;
    private AdamStep adam;
    private float scale;

    private final IntConsumer embedTask = this::embed;
    private final IntConsumer attendTask = this::attend;
    private final IntConsumer afterAttentionTask = this::afterAttention;
    private final IntConsumer mlpAndAttentionBackTask = this::mlpAndAttentionBack;
    private final IntConsumer qkvTask = this::qkv;
    private final IntConsumer embeddingTask = this::embeddingGradient;
    private final IntConsumer updateOwned = this::updateOwned;

    /**
     * @param scratch  one attention scratch per thread of the pool
     * @param gradient the one gradient buffer every chunk adds into
     */
    PhaseSchedule(ModelConfig config, SimdGpt gpt, CrossEntropy crossEntropy, WorkerPool pool, AttentionScratch[] scratch,
                  TensorViews gradient, WeightUpdate update, PaddedLayout layout) {
        this.config = config;
        this.threads = pool.size();
        this.heads = config.nHead();
        this.gpt = gpt;
        this.blocks = gpt.blocks();
        this.crossEntropy = crossEntropy;
        this.pool = pool;
        this.scratch = scratch;
        this.gradient = gradient;
        this.update = update;
        this.embeddings = new EmbeddingGradient(config);
        this.rowBlock = Gemm.FOUR_BY_FOUR && VectorKernels.padded(config.nEmbd()) >= Gemm.PANEL ? 6 : 4;
        this.rowStart = new int[threads + 1];
        this.pairStart = new int[threads + 1];
        this.owner = WeightUpdate.owners(layout, threads, 0);
        this.fusedOwner = WeightUpdate.owners(layout, threads, WeightUpdate.EMBEDDINGS);
    }

    @Override
    public long bytes() {
        return embeddings.bytes() + (gradMid == null ? 0 : 4L * gradMid.data().length);
    }

    /**
     * Forward, cross-entropy (losses into b.rowLoss) and backward over the chunk arranged in {@code buffers}
     * ({@code rows} rows cut into {@code parts}), the weight gradients added into the gradient (written by a
     * part that does not add); with {@code step} (the last chunk of a training step) and no clipping, Adam in the
     * last phase.
     */
    @Override
    public void chunk(BatchBuffers buffers, int rows, RowParts rowParts, AdamStep step) {
        fused = step != null && step.gradClip() <= 0 ? step : null;
        updated = fused != null;
        prepare(buffers, rows, rowParts);
        pool.run(embedTask);
        for (layer = 0; layer < blocks.length; layer++) {
            pool.run(attendTask);
            pool.run(afterAttentionTask);
        }
        for (layer = blocks.length - 1; layer >= 0; layer--) {
            pool.run(mlpAndAttentionBackTask);
            pool.run(qkvTask);
        }
        pool.run(embeddingTask);
    }

    /** Rows by near equal runs of whole row blocks; (document, head) pairs by near equal attention work. */
    private void prepare(BatchBuffers buffers, int rows, RowParts rowParts) {
        if (buffers != shared || parts != rowParts) {   // new buffers (the first step, or a larger batch): new views, once
            gradMid = new Matrix(new float[buffers.gradStream.data().length], 0, buffers.gradStream.stride());
            shares = new WeightGradients[threads];
            for (int t = 0; t < threads; t++) shares[t] = WeightGradients.share(config, buffers, gradMid, gradient, rowParts, t, threads);
            shared = buffers;
        }
        b = buffers;
        parts = rowParts;
        for (int t = 0; t <= threads; t++) rowStart[t] = Shares.start(rows, t, threads, rowBlock);
        // a pair's work grows with n^2 (scores) plus n (copies): cut where the running total crosses t / threads
        long total = 0;
        for (int d = 0; d < b.documents; d++) total += heads * work(d);
        long before = 0;
        int t = 1;
        pairStart[0] = 0;
        for (int d = 0; d < b.documents; d++) {
            long w = work(d);
            for (int h = 0; h < heads; h++) {
                while (t < threads && 2 * threads * before + threads * w > 2 * total * t) pairStart[t++] = d * heads + h;
                before += w;
            }
        }
        while (t <= threads) pairStart[t++] = b.documents * heads;
    }

    private long work(int d) {
        long n = b.documentStart[d + 1] - b.documentStart[d];
        return n * (n + 16);
    }

    private void embed(int t) {
        gpt.forwardEmbeddings(b, rowStart[t], rowStart[t + 1]);
        blocks[0].forwardToAttention(b, rowStart[t], rowStart[t + 1]);
    }

    private void attend(int t) {
        forEachPair(t, true);
    }

    /**
     * Layer {@link #layer} after attention on this thread's rows, then the next layer up to attention; after the
     * last layer the loss and backward as far as the rows go: dL/dlogits, dL/dstream, the last layer's rows back
     * to attention.
     */
    private void afterAttention(int t) {
        int r0 = rowStart[t];
        int r1 = rowStart[t + 1];
        blocks[layer].forwardFromAttention(b, r0, r1);
        if (layer + 1 < blocks.length) {
            blocks[layer + 1].forwardToAttention(b, r0, r1);
            return;
        }
        gpt.forwardLogits(b, r0, r1);
        crossEntropy.apply(b, r0, r1, true);
        gpt.backwardRowsThroughLmHead(b, r0, r1);
        blocks[layer].backwardRowsToAttention(b, r0, r1, gradMid);
    }

    /** Layer {@link #layer}'s MLP and wo weight gradients (dL/dlm_head too after the last layer), then its attention back. */
    private void mlpAndAttentionBack(int t) {
        if (layer == blocks.length - 1) gpt.lmHeadGradient(b, shares[t]);
        blocks[layer].mlpAndWoGradients(b, shares[t].layers()[layer]);
        forEachPair(t, false);
    }

    /**
     * Layer {@link #layer}'s q, k, v weight gradients, its rows back to dL/din; then the layer below's rows back
     * to attention, or after layer 0 the embeddings' norm.
     */
    private void qkv(int t) {
        int r0 = rowStart[t];
        int r1 = rowStart[t + 1];
        TransformerBlock block = blocks[layer];
        block.qkvGradients(b, shares[t].layers()[layer]);
        block.inputGradient(b, r0, r1, gradMid);
        if (layer > 0) blocks[layer - 1].backwardRowsToAttention(b, r0, r1, gradMid);
        else gpt.backwardThroughEmbeddingNorm(b, r0, r1);
    }

    /**
     * The embeddings' gradient, thread t's columns; in a step whose Adam runs here, Adam on those columns (their
     * gradient is complete now) and on thread t's whole tensors among the others (complete since the phase before).
     */
    private void embeddingGradient(int t) {
        WeightGradients share = shares[t];
        gpt.embeddingGradient(b, share, embeddings);
        if (fused == null) return;
        update.embeddingColumns(share.embeddingFrom(), share.embeddingTo(), fused);
        for (int i = WeightUpdate.EMBEDDINGS; i < fusedOwner.length; i++) if (fusedOwner[i] == t) update.tensor(i, fused, 1f);
    }

    @Override
    public void finish(AdamStep step) {
        if (step == null || updated) return;
        adam = step;
        scale = update.clipScale(step);
        pool.run(updateOwned);
    }

    /** Adam on the tensors thread t owns, the gradient scaled by the step's clipping factor. */
    private void updateOwned(int t) {
        for (int i = 0; i < owner.length; i++) if (owner[i] == t) update.tensor(i, adam, scale);
    }

    /** Attention of layer {@link #layer}, forward or backward, over thread t's (document, head) pairs. */
    private void forEachPair(int t, boolean forward) {
        int p0 = pairStart[t];
        int p1 = pairStart[t + 1];
        TransformerBlock block = blocks[layer];
        while (p0 < p1) {
            int d = p0 / heads;
            int h0 = p0 - d * heads;
            int h1 = Math.min(heads, p1 - d * heads);
            int from = b.documentStart[d];
            int to = b.documentStart[d + 1];
            if (forward) block.attend(b, from, to, h0, h1, scratch[t]);
            else block.backwardThroughAttention(b, from, to, h0, h1, scratch[t]);
            p0 = (d + 1) * heads;
        }
    }
}
