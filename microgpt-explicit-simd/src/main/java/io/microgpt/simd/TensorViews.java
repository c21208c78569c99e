package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.ParameterLayout;

/**
 * The named tensors of one buffer in {@link PaddedLayout} (the weights, or their gradient), as views: the
 * embeddings row-major, lm_head and the projections in {@link Panels}.
 *
 * @param wte    token embeddings [vocab x n_embd]
 * @param wpe    position embeddings [block x n_embd]
 * @param lmHead output projection [vocab x n_embd]
 * @param layers per-layer tensors
 */
record TensorViews(Matrix wte, Matrix wpe, Panels lmHead, LayerViews[] layers) {

    /** The projections of one transformer block, each [outputs x inputs] (or, as a transposed copy, [inputs x outputs]). */
    record LayerViews(Panels wq, Panels wk, Panels wv, Panels wo, Panels fc1, Panels fc2) {
    }

    /** Views of every tensor of {@code data}, a buffer in {@code layout}. */
    static TensorViews of(PaddedLayout layout, float[] data) {
        ModelConfig config = layout.layout().config();
        LayerViews[] layers = new LayerViews[config.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerViews(
                    layout.panels(data, ParameterLayout.layerName(i, "attn_wq")),
                    layout.panels(data, ParameterLayout.layerName(i, "attn_wk")),
                    layout.panels(data, ParameterLayout.layerName(i, "attn_wv")),
                    layout.panels(data, ParameterLayout.layerName(i, "attn_wo")),
                    layout.panels(data, ParameterLayout.layerName(i, "mlp_fc1")),
                    layout.panels(data, ParameterLayout.layerName(i, "mlp_fc2")));
        }
        return new TensorViews(layout.matrix(data, "wte"), layout.matrix(data, "wpe"), layout.panels(data, "lm_head"), layers);
    }
}
