package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.AdamStep;
import java.util.function.IntConsumer;

/**
 * A one-chunk step whose parts threads take whole: thread t runs parts t, t + T, ... (T threads: at most one per
 * part), each part forward, loss and backward into a gradient buffer of its own (part 0's is the engine's). Then each
 * thread takes whole tensors ({@link WeightUpdate#owners}), sums the parts' buffers into the gradient in part order and,
 * in a training step that does not clip, applies Adam to them at once; a step that clips needs the whole gradient's
 * norm first, so it sums every tensor, computes the norm, then updates. The sums are those of {@link SerialSchedule},
 * which adds the parts in the same order into one buffer. The parts' buffers are made on first use.
 */
final class PartSchedule implements Schedule {
    private final ModelConfig config;
    private final SimdGpt gpt;
    private final CrossEntropy crossEntropy;
    private final WorkerPool pool;
    private final AttentionScratch[] scratch;
    private final WeightUpdate update;
    private final PaddedLayout layout;
    /** Per part: its gradient buffer (part 0: the engine's), its views, its rows and where its weight gradients go. */
    private final float[][] partGradients;
    private final TensorViews[] partViews;
    private final RowParts[] partRows;
    private final WeightGradients[] targets;
    private BatchBuffers targetsOf;
    /** Per thread: the embeddings' gathered gradient (made on first use). */
    private final EmbeddingGradient[] embeddings;
    /** Per thread count T (2 up to the pool's size): the thread that takes each tensor. */
    private final int[][] owners;
    private final IntConsumer runParts = this::runParts;
    private final IntConsumer sum = this::sum;
    private final IntConsumer sumAndUpdate = this::sumAndUpdate;
    private final IntConsumer updateOwned = this::updateOwned;
    private BatchBuffers b;
    private RowParts parts;
    private int threads;
    private AdamStep adam;
    private float scale;

    PartSchedule(ModelConfig config, SimdGpt gpt, CrossEntropy crossEntropy, WorkerPool pool, AttentionScratch[] scratch,
                 float[] gradient, TensorViews gradientViews, WeightUpdate update, PaddedLayout layout) {
        this.config = config;
        this.gpt = gpt;
        this.crossEntropy = crossEntropy;
        this.pool = pool;
        this.scratch = scratch;
        this.update = update;
        this.layout = layout;
        this.partGradients = new float[BatchCut.MAX_PARTS][];
        this.partViews = new TensorViews[BatchCut.MAX_PARTS];
        this.partRows = new RowParts[BatchCut.MAX_PARTS];
        this.targets = new WeightGradients[BatchCut.MAX_PARTS];
        partGradients[0] = gradient;
        partViews[0] = gradientViews;
        for (int i = 0; i < partRows.length; i++) partRows[i] = new RowParts(1);
        this.embeddings = new EmbeddingGradient[pool.size()];
        this.owners = new int[pool.size() + 1][];
        for (int t = 2; t <= pool.size(); t++) owners[t] = WeightUpdate.owners(layout, t, 0);
    }

    /** Threads a step of these parts uses: one per part, at most the pool's. */
    int threadsFor(RowParts p) {
        return Math.min(pool.size(), p.count);
    }

    @Override
    public void chunk(BatchBuffers buffers, int rows, RowParts chunkParts, AdamStep ignored) {
        b = buffers;
        parts = chunkParts;
        threads = threadsFor(chunkParts);
        for (int i = 1; i < parts.count; i++) {
            if (partGradients[i] == null) {
                partGradients[i] = new float[partGradients[0].length];
                partViews[i] = TensorViews.of(layout, partGradients[i]);
                targetsOf = null;
            }
        }
        if (targetsOf != b) {
            for (int i = 0; i < targets.length; i++) {
                targets[i] = partViews[i] == null ? null : WeightGradients.whole(config, b, partViews[i], partRows[i]);
            }
            targetsOf = b;
        }
        pool.run(runParts);
    }

    /** Thread t's parts: t, t + threads, ..., each into its own buffer (written). */
    private void runParts(int t) {
        if (t >= threads) return;
        if (embeddings[t] == null) embeddings[t] = new EmbeddingGradient(config);
        for (int i = t; i < parts.count; i += threads) {
            int from = parts.start[i];
            int to = parts.start[i + 1];
            partRows[i].set(from, to, false);
            gpt.forward(b, from, to, scratch[t]);
            crossEntropy.apply(b, from, to, true);
            gpt.backward(b, targets[i], from, to, embeddings[t], scratch[t]);
        }
    }

    @Override
    public void finish(AdamStep step) {
        adam = step;
        if (step == null || step.gradClip() > 0) {
            pool.run(sum);   // the whole gradient first: clipping needs its norm
            if (step == null) return;
            scale = update.clipScale(step);
            pool.run(updateOwned);
        } else {
            pool.run(sumAndUpdate);
        }
    }

    /** gradient = part 0 + part 1 + ... in part order, over the tensors thread t owns. */
    private void sum(int t) {
        if (t >= threads) return;
        int[] owner = owners[threads];
        for (int i = 0; i < owner.length; i++) if (owner[i] == t) sumTensor(i);
    }

    /** {@link #sum}, each tensor then updated (no clipping). */
    private void sumAndUpdate(int t) {
        if (t >= threads) return;
        int[] owner = owners[threads];
        for (int i = 0; i < owner.length; i++) {
            if (owner[i] != t) continue;
            sumTensor(i);
            update.tensor(i, adam, 1f);
        }
    }

    /** Adam on the tensors thread t owns, the gradient scaled by the step's clipping factor. */
    private void updateOwned(int t) {
        if (t >= threads) return;
        int[] owner = owners[threads];
        for (int i = 0; i < owner.length; i++) if (owner[i] == t) update.tensor(i, adam, scale);
    }

    private void sumTensor(int i) {
        int from = layout.start(i);
        int to = layout.end(i);
        float[] gradient = partGradients[0];
        for (int s = 1; s < parts.count; s++) VectorKernels.add(gradient, from, partGradients[s], from, gradient, from, to - from);
    }

    @Override
    public long bytes() {
        long bytes = 0;
        for (EmbeddingGradient e : embeddings) bytes += e == null ? 0 : e.bytes();
        return bytes;
    }
}
