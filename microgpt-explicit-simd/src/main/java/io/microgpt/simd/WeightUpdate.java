package io.microgpt.simd;

import io.microgpt.core.spi.AdamStep;

/**
 * Adam on the weights from the gradient buffer, tensor by tensor (each tensor's transposed copy refreshed right
 * after, while the tensor is still in cache), or the embeddings by ranges of columns. Which thread updates which
 * tensors is a {@link Schedule}'s choice ({@link #owners} gives near equal shares); two threads never update the same
 * elements.
 */
final class WeightUpdate {
    /** The embeddings (wte, wpe) are the layout's first tensors; the others have transposed copies. */
    static final int EMBEDDINGS = 2;

    private final SimdWeights weights;
    private final float[] gradient;
    private final AdamF32 adam;
    private final int nEmbd;
    private final PhaseClock clock;

    /** {@code clock}: marked by {@link #all} and {@link #tensor} (the one thread's, or {@link PhaseClock#OFF}). */
    WeightUpdate(SimdWeights weights, float[] gradient, AdamF32 adam, PhaseClock clock) {
        this.weights = weights;
        this.gradient = gradient;
        this.adam = adam;
        this.nEmbd = weights.config().nEmbd();
        this.clock = clock;
    }

    /** Tensors in the layout. */
    int tensors() {
        return weights.layout().tensorCount();
    }

    /** The factor this step scales the gradient by: 1 unless it clips ({@link AdamF32#clipScale}: a sum on one thread). */
    float clipScale(AdamStep step) {
        return AdamF32.clipScale(gradient, step);
    }

    /** Adam on tensor i, the gradient scaled by {@code scale}, then its transposed copy refreshed. */
    void tensor(int i, AdamStep step, float scale) {
        PaddedLayout layout = weights.layout();
        adam.update(weights.values, gradient, step, scale, layout.start(i), layout.end(i));
        clock.mark(Phase.ADAM);
        int copy = SimdWeights.transposedOf(i);
        if (copy >= 0) weights.refreshTransposed(copy);
        clock.mark(Phase.TRANSPOSED_REFRESH);
    }

    /** Adam on columns [c0, c1) of every row of both embeddings (Adam is element by element: any columns are a share). */
    void embeddingColumns(int c0, int c1, AdamStep step) {
        PaddedLayout layout = weights.layout();
        int stride = VectorKernels.padded(nEmbd);
        for (int i = 0; i < EMBEDDINGS; i++) {
            for (int row = layout.start(i); row < layout.end(i); row += stride) {
                adam.update(weights.values, gradient, step, 1f, row + c0, row + c1);
            }
        }
    }

    /** Adam on every tensor on this thread, the gradient clipped if the step says so. */
    void all(AdamStep step) {
        float scale = clipScale(step);
        for (int i = 0; i < tensors(); i++) tensor(i, step, scale);
    }

    /**
     * Which of {@code threads} threads takes tensor i (from tensor {@code first} on; the earlier ones: -1): each tensor,
     * largest first, to the thread with the fewest elements so far (near equal shares: tensors of one layer range from
     * n_embd^2 to 4 n_embd^2 and the embeddings are smaller still, so taking every threads-th tensor is uneven).
     */
    static int[] owners(PaddedLayout layout, int threads, int first) {
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
}
