package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.ParameterLayout;

/**
 * The named tensors of one buffer in {@link PaddedLayout} (the weights, or their gradient), as matrix views.
 *
 * @param wte    token embeddings [vocab x n_embd]
 * @param wpe    position embeddings [block x n_embd]
 * @param lmHead output projection [vocab x n_embd]
 * @param layers per-layer tensors
 */
record TensorViews(Matrix wte, Matrix wpe, Matrix lmHead, LayerViews[] layers) {

    /** The weights of one transformer block, each [outputs x inputs]. */
    record LayerViews(Matrix wq, Matrix wk, Matrix wv, Matrix wo, Matrix fc1, Matrix fc2) {
    }

    /** Views of every tensor of {@code data}, a buffer in {@code layout}. */
    static TensorViews of(PaddedLayout layout, float[] data) {
        ModelConfig config = layout.layout().config();
        LayerViews[] layers = new LayerViews[config.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerViews(
                    layout.matrix(data, ParameterLayout.layerName(i, "attn_wq")),
                    layout.matrix(data, ParameterLayout.layerName(i, "attn_wk")),
                    layout.matrix(data, ParameterLayout.layerName(i, "attn_wv")),
                    layout.matrix(data, ParameterLayout.layerName(i, "attn_wo")),
                    layout.matrix(data, ParameterLayout.layerName(i, "mlp_fc1")),
                    layout.matrix(data, ParameterLayout.layerName(i, "mlp_fc2")));
        }
        return new TensorViews(layout.matrix(data, "wte"), layout.matrix(data, "wpe"), layout.matrix(data, "lm_head"), layers);
    }
}
