package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each named tensor lives in the flat parameter buffer, in the reference's order (which is also the
 * order of the random draws at initialisation): {@code wte, wpe, lm_head}, then per layer
 * {@code attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1, mlp_fc2}.
 *
 * <p>Immutable, so thread-safe.
 */
public final class ParameterLayout {
    private final ModelConfig config;
    private final List<TensorSpec> tensors;
    private final Map<String, TensorSpec> byName;
    private final int size;

    /** The layout of a model of this shape. */
    public ParameterLayout(ModelConfig config) {
        this.config = config;
        List<TensorSpec> list = new ArrayList<>();
        int e = config.nEmbd();
        int offset = 0;
        offset = add(list, "wte", config.vocabSize(), e, offset);
        offset = add(list, "wpe", config.blockSize(), e, offset);
        offset = add(list, "lm_head", config.vocabSize(), e, offset);
        for (int i = 0; i < config.nLayer(); i++) {
            offset = add(list, layerName(i, "attn_wq"), e, e, offset);
            offset = add(list, layerName(i, "attn_wk"), e, e, offset);
            offset = add(list, layerName(i, "attn_wv"), e, e, offset);
            offset = add(list, layerName(i, "attn_wo"), e, e, offset);
            offset = add(list, layerName(i, "mlp_fc1"), config.mlpDim(), e, offset);
            offset = add(list, layerName(i, "mlp_fc2"), e, config.mlpDim(), offset);
        }
        this.tensors = Collections.unmodifiableList(list);
        this.size = offset;
        Map<String, TensorSpec> map = new LinkedHashMap<>();
        for (TensorSpec t : list) map.put(t.name(), t);
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The name of tensor {@code kind} (e.g. {@code attn_wq}) in layer {@code layer}. */
    public static String layerName(int layer, String kind) {
        return "layer" + layer + "." + kind;
    }

    private static int add(List<TensorSpec> list, String name, int rows, int cols, int offset) {
        if ((long) offset + (long) rows * cols > Integer.MAX_VALUE) {
            throw new MicrogptException("the model has more than " + Integer.MAX_VALUE + " parameters; choose smaller sizes");
        }
        list.add(new TensorSpec(name, rows, cols, offset));
        return offset + rows * cols;
    }

    /** The model shape this layout is for. */
    public ModelConfig config() {
        return config;
    }

    /** The tensors in buffer order. */
    public List<TensorSpec> tensors() {
        return tensors;
    }

    /** The tensor of this name; a {@link MicrogptException} if there is none. */
    public TensorSpec tensor(String name) {
        TensorSpec t = byName.get(name);
        if (t == null) throw new MicrogptException("no tensor named '" + name + "' in this model");
        return t;
    }

    /** Total number of parameters. */
    public int size() {
        return size;
    }
}
