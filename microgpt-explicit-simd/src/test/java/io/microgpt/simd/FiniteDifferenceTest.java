package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.GradientCheck;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The simd gradient against central finite differences of the loss, at 300 random parameters (n_embd 20,
 * head_dim 5, 2 layers, block 8, batch 4). The differences are taken in f64 on the scalar engine's loss, the
 * same function without f32 rounding: with step h = 1e-6 the truncation error is ~h^2 |L'''| ~ 1e-12 and the
 * rounding error ~1e-16 x |L| / h ~ 1e-9, far below the f32 gradient's own error (~1e-6 x max |g|). In f32 the
 * loss's rounding (~1e-7) divided by any usable h would swamp small gradients, which is why f64 is used.
 * Bound per parameter: 1e-4 x the largest |g| of its tensor, plus 1e-8 for the difference quotient.
 *
 * <p>The loss has kinks (ReLU): where [w - h, w + h] straddles one, the quotient is no derivative. Such
 * points show themselves by disagreeing with the quotient at h / 2; they are skipped, and must be rare.
 */
class FiniteDifferenceTest {

    @Test
    void simdGradientMatchesCentralDifferencesOfTheLoss() {
        ModelConfig config = Fixtures.config(20, 4, 2, 8);
        Parameters weights = Fixtures.weights(config, 11);
        int[][] batch = Fixtures.batch(500, 4);
        double[] gradient = new double[weights.size()];
        try (Engine simd = Fixtures.simd(weights)) {
            simd.lossAndGradient(batch, gradient);
        }
        Random random = new Random(3);
        double h = 1e-6;
        int kinks = 0;
        try (Engine scalar = Fixtures.scalar(weights)) {
            Parameters probe = weights.copy();
            double[] w = probe.data();
            for (int n = 0; n < 300; n++) {
                int i = random.nextInt(w.length);
                double numeric = GradientCheck.centralDifference(scalar, probe, batch, i, h);
                TensorSpec t = tensorOf(weights, i);
                double bound = 1e-4 * largest(gradient, t) + 1e-8;
                if (Math.abs(numeric - GradientCheck.centralDifference(scalar, probe, batch, i, h / 2)) > bound) {
                    kinks++;
                    continue;
                }
                if (Math.abs(gradient[i] - numeric) > bound) {
                    int local = i - t.offset();
                    fail(t.name() + "[" + local / t.cols() + ", " + local % t.cols() + "]: simd gradient " + gradient[i]
                            + " vs central difference " + numeric + " (bound " + bound + ")");
                }
            }
        }
        assertTrue(kinks <= 15, kinks + " of 300 probes straddled a ReLU kink; expected a handful at most");
    }

    private static TensorSpec tensorOf(Parameters p, int index) {
        for (TensorSpec t : p.layout().tensors()) if (index < t.offset() + t.size()) return t;
        throw new IllegalArgumentException("index " + index);
    }

    private static double largest(double[] g, TensorSpec t) {
        double m = 0;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) m = Math.max(m, Math.abs(g[i]));
        return m;
    }
}
