package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static String error(Runnable r) {
        return assertThrows(MicrogptException.class, r::run).getMessage();
    }

    @Test
    void referenceConfigHasTheReferenceShape() {
        ModelConfig c = ModelConfig.reference(27);
        assertEquals(4, c.headDim());
        assertEquals(64, c.mlpDim());
        assertEquals(4192, new ParameterLayout(c).size());
    }

    @Test
    void eachBadValueIsNamed() {
        assertTrue(error(() -> new ModelConfig(27, 30, 4, 1, 16, 0.08)).contains("n_embd 30 is not divisible by n_head 4"));
        assertTrue(error(() -> new ModelConfig(27, 0, 4, 1, 16, 0.08)).contains("n_embd must be positive"));
        assertTrue(error(() -> new ModelConfig(27, 16, 0, 1, 16, 0.08)).contains("n_head must be positive"));
        assertTrue(error(() -> new ModelConfig(27, 16, 4, -1, 16, 0.08)).contains("n_layer must be 0 or more"));
        assertEquals(3, new ParameterLayout(new ModelConfig(27, 16, 4, 0, 16, 0.08)).tensors().size(),
                "n_layer 0: wte, wpe and lm_head, as the reference builds them");
        assertTrue(error(() -> new ModelConfig(27, 16, 4, 1, 0, 0.08)).contains("block_size must be positive"));
        assertTrue(error(() -> new ModelConfig(1, 16, 4, 1, 16, 0.08)).contains("vocab size 1"));
        assertTrue(error(() -> new ModelConfig(27, 16, 4, 1, 16, Double.NaN)).contains("init std"));
    }

    @Test
    void trainingConfigValidates() {
        TrainingConfig r = TrainingConfig.reference();
        assertEquals(1000, r.steps());
        assertEquals(1, r.batchSize());
        assertTrue(error(() -> r.withSteps(-1)).contains("steps must be 0 or more"));
        assertEquals(0, r.withSteps(0).steps(), "0 steps: the reference samples from the untrained model");
        assertTrue(error(() -> r.withBatchSize(0)).contains("batch size"));
        assertTrue(error(() -> r.withLearningRate(-1)).contains("learning rate"));
        assertTrue(error(() -> new TrainingConfig(1, 1, 0.01, 1.0, 0.99, 1e-8, 1)).contains("beta1"));
    }

    @Test
    void layoutFollowsTheReferenceOrder() {
        ParameterLayout layout = new ParameterLayout(new ModelConfig(27, 8, 2, 2, 12, 0.08));
        assertEquals(java.util.List.of("wte", "wpe", "lm_head",
                        "layer0.attn_wq", "layer0.attn_wk", "layer0.attn_wv", "layer0.attn_wo", "layer0.mlp_fc1", "layer0.mlp_fc2",
                        "layer1.attn_wq", "layer1.attn_wk", "layer1.attn_wv", "layer1.attn_wo", "layer1.mlp_fc1", "layer1.mlp_fc2"),
                layout.tensors().stream().map(TensorSpec::name).toList());
        TensorSpec fc2 = layout.tensor("layer1.mlp_fc2");
        assertEquals(8, fc2.rows());
        assertEquals(32, fc2.cols());
        assertEquals(layout.size(), fc2.offset() + fc2.size());
        assertThrows(MicrogptException.class, () -> layout.tensor("layer2.attn_wq"));
    }
}
