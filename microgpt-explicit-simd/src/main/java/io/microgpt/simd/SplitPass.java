package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import java.util.function.IntConsumer;

/**
 * One chunk's forward and backward with every phase split across the threads of a {@link WorkerPool}: the
 * row-wise steps (norms, the matrix products by activations, cross-entropy) by ranges of rows; attention by
 * (document, head) pairs, each thread with its own {@link AttentionScratch}; the weight gradients by ranges of
 * outputs ({@link GradientShares}), each summed over every row of a part; the embeddings' gradient by ranges
 * of columns. Every element is computed by one thread in the order one thread would compute it, so the bits
 * are those of {@link GptPass#backward} over the same parts, for any thread count. Between phases that read
 * what other threads wrote, the pool's run ends (a barrier): 2 per layer forward, 5 per layer backward, and 3
 * more, whatever the batch.
 */
final class SplitPass {
    private final int threads;
    private final int heads;
    private final GptPass pass;
    private final TransformerBlock[] blocks;
    private final CrossEntropy crossEntropy;
    private final WorkerPool pool;
    private final AttentionScratch[] scratch;
    private final EmbeddingGradient embeddings;
    private final ModelConfig config;
    private final TensorViews gradient;
    /** Per thread: its shares of the weight gradients, for {@link #shared} buffers. */
    private GradientShares[] shares;
    private BatchBuffers shared;
    /** Per thread t: rows [rowStart[t], rowStart[t + 1]) of the chunk. */
    private final int[] rowStart;
    /** Per thread t: (document, head) pairs [pairStart[t], pairStart[t + 1]), pair = document x heads + head. */
    private final int[] pairStart;
    private BatchBuffers b;
    private RowParts parts;
    private int layer;

    private final IntConsumer embedTask = this::embed;
    private final IntConsumer attendTask = this::attend;
    private final IntConsumer afterAttentionTask = this::afterAttention;
    private final IntConsumer lmHeadTask = this::lmHead;
    private final IntConsumer fc2Task = this::fc2;
    private final IntConsumer fc1Task = this::fc1;
    private final IntConsumer woTask = this::wo;
    private final IntConsumer attentionBackTask = this::attentionBack;
    private final IntConsumer qkvTask = this::qkv;
    private final IntConsumer embeddingTask = this::embeddingGradient;

    /**
     * @param scratch  one attention scratch per thread of the pool
     * @param gradient the one gradient buffer every chunk adds into
     */
    SplitPass(ModelConfig config, GptPass pass, CrossEntropy crossEntropy, WorkerPool pool, AttentionScratch[] scratch,
              TensorViews gradient) {
        this.config = config;
        this.threads = pool.size();
        this.heads = config.nHead();
        this.pass = pass;
        this.blocks = pass.blocks();
        this.crossEntropy = crossEntropy;
        this.pool = pool;
        this.scratch = scratch;
        this.gradient = gradient;
        this.embeddings = new EmbeddingGradient(config);
        this.rowStart = new int[threads + 1];
        this.pairStart = new int[threads + 1];
    }

    /** Bytes of what this pass holds besides the engine's buffers: the shared embeddings' gradient. */
    long bytes() {
        return embeddings.bytes();
    }

    /**
     * Forward, cross-entropy (losses into b.rowLoss) and backward over the chunk arranged in {@code buffers}
     * ({@code rows} rows cut into {@code parts}), the weight gradients added into the gradient (written by a
     * part that does not add).
     */
    void run(BatchBuffers buffers, int rows, RowParts rowParts) {
        prepare(buffers, rows, rowParts);
        pool.run(embedTask);
        for (layer = 0; layer < blocks.length; layer++) {
            pool.run(attendTask);
            pool.run(afterAttentionTask);
        }
        pool.run(lmHeadTask);
        for (layer = blocks.length - 1; layer >= 0; layer--) {
            pool.run(fc2Task);
            pool.run(fc1Task);
            pool.run(woTask);
            pool.run(attentionBackTask);
            pool.run(qkvTask);
        }
        pool.run(embeddingTask);
    }

    /** Rows by near equal runs of 4-row blocks; (document, head) pairs by near equal attention work. */
    private void prepare(BatchBuffers buffers, int rows, RowParts rowParts) {
        if (buffers != shared) {   // new buffers (the first step, or a larger batch): new views, once
            shares = new GradientShares[threads];
            for (int t = 0; t < threads; t++) shares[t] = GradientShares.of(config, buffers, gradient, t, threads);
            shared = buffers;
        }
        b = buffers;
        parts = rowParts;
        for (int t = 0; t <= threads; t++) rowStart[t] = Split.boundary(rows, t, threads, 4);
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
        pass.forwardEmbeddings(b, rowStart[t], rowStart[t + 1]);
        blocks[0].forwardToAttention(b, rowStart[t], rowStart[t + 1]);
    }

    private void attend(int t) {
        forEachPair(t, true);
    }

    /** Layer {@link #layer} after attention on this thread's rows, then the next layer up to attention, or the loss. */
    private void afterAttention(int t) {
        int r0 = rowStart[t];
        int r1 = rowStart[t + 1];
        blocks[layer].forwardFromAttention(b, r0, r1);
        if (layer + 1 < blocks.length) {
            blocks[layer + 1].forwardToAttention(b, r0, r1);
        } else {
            pass.forwardLogits(b, r0, r1);
            crossEntropy.apply(b, r0, r1, true);
        }
    }

    private void lmHead(int t) {
        pass.backwardThroughLmHead(b, shares[t], parts, rowStart[t], rowStart[t + 1]);
    }

    private void fc2(int t) {
        blocks[layer].backwardThroughFc2(b, shares[t].layers()[layer], parts, rowStart[t], rowStart[t + 1]);
    }

    private void fc1(int t) {
        blocks[layer].backwardThroughFc1(b, shares[t].layers()[layer], parts, rowStart[t], rowStart[t + 1]);
    }

    private void wo(int t) {
        blocks[layer].backwardThroughWo(b, shares[t].layers()[layer], parts, rowStart[t], rowStart[t + 1]);
    }

    private void attentionBack(int t) {
        forEachPair(t, false);
    }

    /** Layer {@link #layer}'s q, k, v products; after layer 0, the embeddings' norm too (row-wise as well). */
    private void qkv(int t) {
        int r0 = rowStart[t];
        int r1 = rowStart[t + 1];
        blocks[layer].backwardThroughQkv(b, shares[t].layers()[layer], parts, r0, r1);
        if (layer == 0) pass.backwardThroughEmbeddingNorm(b, r0, r1);
    }

    private void embeddingGradient(int t) {
        pass.embeddingGradient(b, shares[t], parts, embeddings);
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
