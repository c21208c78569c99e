package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.TensorViews.LayerViews;

/**
 * Where backward puts the weight gradients: dL/dlm_head and every projection of every layer ({@link WeightGradient}:
 * all of each, or one range of each one's outputs), and the embeddings' columns [embeddingFrom, embeddingTo) of
 * {@code target}, part by part. Made once per set of buffers, never per step.
 *
 * @param target        the gradient buffer's views
 * @param lmHead        dL/dlm_head from dL/dlogits
 * @param layers        per layer: its six projections
 * @param embeddingFrom the first column of the embeddings' gradient computed
 * @param embeddingTo   the column after the last (a whole number of vectors)
 * @param parts         the parts of the rows, for the embeddings (the same object the weight gradients read)
 */
record WeightGradients(TensorViews target, WeightGradient lmHead, LayerGradients[] layers, int embeddingFrom,
                       int embeddingTo, RowParts parts) {

    /** The gradients of one layer's projections. */
    record LayerGradients(WeightGradient wq, WeightGradient wk, WeightGradient wv, WeightGradient wo, WeightGradient fc1,
                          WeightGradient fc2) {
    }

    /** Every gradient whole, into {@code grad}, from the gradients in b (dL/dmid where one pass leaves it, b.gradStream). */
    static WeightGradients whole(ModelConfig c, BatchBuffers b, TensorViews grad, RowParts parts) {
        return share(c, b, b.gradStream, grad, parts, 0, 1);
    }

    /**
     * Share t of {@code shares}: a near equal range of each projection's outputs and of the embeddings' columns, into
     * {@code grad}; dL/dwo from dL/dmid in {@code gradMid} (b.gradStream, or the buffer of a schedule that keeps
     * dL/dout beside it).
     */
    static WeightGradients share(ModelConfig c, BatchBuffers b, Matrix gradMid, TensorViews grad, RowParts parts, int t,
                                 int shares) {
        int e = c.nEmbd();
        LayerGradients[] layers = new LayerGradients[c.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            LayerViews g = grad.layers()[i];
            layers[i] = new LayerGradients(
                    WeightGradient.of(b.gradQ, g.wq(), e, parts, t, shares),
                    WeightGradient.of(b.gradK, g.wk(), e, parts, t, shares),
                    WeightGradient.of(b.gradV, g.wv(), e, parts, t, shares),
                    WeightGradient.of(gradMid, g.wo(), e, parts, t, shares),
                    WeightGradient.of(b.gradHidden, g.fc1(), c.mlpDim(), parts, t, shares),
                    WeightGradient.of(b.gradStream, g.fc2(), e, parts, t, shares));
        }
        int width = VectorKernels.padded(e);
        int lanes = VectorKernels.LANES;
        return new WeightGradients(grad, WeightGradient.of(b.logits, grad.lmHead(), c.vocabSize(), parts, t, shares), layers,
                Shares.start(width, t, shares, lanes), Shares.start(width, t + 1, shares, lanes), parts);
    }
}
