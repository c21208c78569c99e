package io.microgpt.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgpt.core.TrainingConfig;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
        // step 1: m = 0.15 g, v = 0.01 g^2, m_hat = g, v_hat = g^2 => w -= lr * g / (|g| + eps)
        double[] w = {1.0, -2.0, 0.5};
        double[] g = {0.5, -4.0, 0.0};
        double[] m = new double[3];
        double[] v = new double[3];
        TrainingConfig config = TrainingConfig.reference();
        AdamStep s = AdamStep.of(config, 0);
        Adam.update(w, g, m, v, 3, s);
        assertEquals(1.0 - 0.01 * 0.5 / (0.5 + 1e-8), w[0], 1e-15);
        assertEquals(-2.0 + 0.01 * 4.0 / (4.0 + 1e-8), w[1], 1e-15);
        assertEquals(0.5, w[2]);
        assertEquals((1 - 0.85) * 0.5, m[0]);
        assertEquals((1 - 0.99) * 16.0, v[1]);
    }

    @Test
    void secondStepByHand() {
        double[] w = {0.0};
        double[] m = new double[1];
        double[] v = new double[1];
        TrainingConfig config = TrainingConfig.reference();
        Adam.update(w, new double[] {1.0}, m, v, 1, AdamStep.of(config, 0));
        Adam.update(w, new double[] {-1.0}, m, v, 1, AdamStep.of(config, 1));
        // written as the reference writes it: (1 - beta) is 0.15000000000000002, not 0.15
        double m2 = 0.85 * ((1 - 0.85) * 1.0) + (1 - 0.85) * -1.0;     // about -0.0225
        double v2 = 0.99 * ((1 - 0.99) * 1.0) + (1 - 0.99) * 1.0;      // about 0.0199
        double mHat = m2 / (1 - 0.85 * 0.85);
        double vHat = v2 / (1 - 0.99 * 0.99);
        double lr2 = 0.01 * (1 - 1.0 / 1000);
        double expected = -0.01 * 1.0 / (1.0 + 1e-8) - lr2 * mHat / (Math.sqrt(vHat) + 1e-8);
        assertEquals(m2, m[0]);
        assertEquals(v2, v[0]);
        assertEquals(expected, w[0], 1e-15);
    }

    @Test
    void learningRateDecaysLinearlyToZero() {
        TrainingConfig config = TrainingConfig.reference();
        assertEquals(0.01, AdamStep.of(config, 0).learningRate());
        assertEquals(0.005, AdamStep.of(config, 500).learningRate(), 1e-18);
        assertEquals(0.01 * (1 - 999 / 1000.0), AdamStep.of(config, 999).learningRate());
        assertEquals(1000, AdamStep.of(config, 999).t());
    }

    @Test
    void biasCorrectionPowersAreCorrectlyRounded() {
        MathContext mc = new MathContext(60);
        for (int t : new int[] {1, 2, 3, 10, 77, 500, 999, 1000, 4321, 100000}) {
            for (double beta : new double[] {0.85, 0.99, 0.9, 0.999}) {
                double exact = new BigDecimal(beta).pow(t, mc).doubleValue();
                assertEquals(exact, ExactPower.pow(beta, t), "beta " + beta + "^" + t);
            }
        }
        assertEquals(1.0, ExactPower.pow(0.5, 0));
    }
}
