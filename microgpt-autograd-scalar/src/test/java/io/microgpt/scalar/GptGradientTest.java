package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.spi.GradientCheck;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import org.junit.jupiter.api.Test;

/** The whole scalar GPT's gradient against central finite differences of its loss, every tensor, on a tiny model. */
class GptGradientTest {

    @Test
    void everyTensorMatchesCentralDifferencesOnATwoLayerModel() {
        ModelConfig config = new ModelConfig(7, 8, 2, 2, 6, 0.3);
        Parameters weights = Parameters.initialize(config, new PyRandom(3));
        // two documents, one longer than the block (uses its first 6 positions)
        int[][] batch = {{6, 0, 1, 2, 6}, {6, 3, 4, 5, 0, 1, 2, 3, 6}};
        double[] grad = new double[weights.size()];
        try (ScalarEngine engine = new ScalarEngine(weights)) {
            engine.lossAndGradient(batch, grad);
            double h = 1e-5;
            for (TensorSpec t : weights.layout().tensors()) {
                double worst = 0;
                double scale = 0;
                for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                    double numeric = GradientCheck.centralDifference(engine, weights, batch, i, h);
                    worst = Math.max(worst, Math.abs(numeric - grad[i]));
                    scale = Math.max(scale, Math.abs(grad[i]));
                }
                // truncation error of a central difference is O(h^2) ~ 1e-10 relative to the curvature
                assertTrue(worst <= 1e-7 * Math.max(scale, 1e-3), t.name() + ": max |numeric - analytic| = " + worst
                        + " with max |gradient| " + scale);
                assertTrue(scale > 0 || t.name().equals("wte"), t.name() + " got no gradient at all");
            }
        }
    }
}
