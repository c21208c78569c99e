package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.TensorViews.LayerViews;

/**
 * One thread's share of every weight-gradient product of a backward pass into one gradient buffer (see
 * {@link ProductShare}), and its columns of the embeddings' gradient. With one thread of one, every product
 * whole. Created once per configuration.
 *
 * @param target          the gradient buffer the shares write into
 * @param lmHead          dL/dlm_head from dL/dlogits
 * @param layers          per layer: its six projections
 * @param embeddingFrom   the first column of the embeddings' gradient this thread gathers
 * @param embeddingTo     the column after its last (a whole number of vectors)
 */
record GradientShares(TensorViews target, ProductShare lmHead, LayerShares[] layers, int embeddingFrom, int embeddingTo) {

    /** A thread's share of each projection's weight gradient in one layer. */
    record LayerShares(ProductShare wq, ProductShare wk, ProductShare wv, ProductShare wo, ProductShare fc1, ProductShare fc2) {
    }

    /** Thread t's shares (of {@code threads}) of the products from the gradients in b into {@code grad}. */
    static GradientShares of(ModelConfig c, BatchBuffers b, TensorViews grad, int t, int threads) {
        return of(c, b, b.gradStream, grad, t, threads);
    }

    /**
     * As {@link #of(ModelConfig, BatchBuffers, TensorViews, int, int)}, dL/dwo from dL/dmid in {@code gradMid}
     * (b.gradStream, where one thread leaves it, or the buffer of a pass that keeps dL/dout beside it).
     */
    static GradientShares of(ModelConfig c, BatchBuffers b, Matrix gradMid, TensorViews grad, int t, int threads) {
        int e = c.nEmbd();
        int width = VectorKernels.padded(e);
        LayerShares[] layers = new LayerShares[c.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            LayerViews g = grad.layers()[i];
            layers[i] = new LayerShares(
                    ProductShare.of(b.gradQ, g.wq(), e, t, threads),
                    ProductShare.of(b.gradK, g.wk(), e, t, threads),
                    ProductShare.of(b.gradV, g.wv(), e, t, threads),
                    ProductShare.of(gradMid, g.wo(), e, t, threads),
                    ProductShare.of(b.gradHidden, g.fc1(), c.mlpDim(), t, threads),
                    ProductShare.of(b.gradStream, g.fc2(), e, t, threads));
        }
        int lanes = VectorKernels.LANES;
        return new GradientShares(grad, ProductShare.of(b.logits, grad.lmHead(), c.vocabSize(), t, threads), layers,
                Split.boundary(width, t, threads, lanes), Split.boundary(width, t + 1, threads, lanes));
    }
}
