package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossSmootherTest {

    @Test
    void firstValueIsTheFirstLossThanksToBiasCorrection() {
        LossSmoother s = new LossSmoother();
        assertTrue(Double.isNaN(s.value()));
        assertEquals(3.3, s.add(3.3), 1e-12);
    }

    @Test
    void aConstantLossStaysConstant() {
        LossSmoother s = new LossSmoother();
        for (int i = 0; i < 500; i++) assertEquals(2.0, s.add(2.0), 1e-12, "step " + i);
    }

    @Test
    void averagesRoughlyTheLastFiftySteps() {
        LossSmoother s = new LossSmoother();
        for (int i = 0; i < 1000; i++) s.add(3.0);
        for (int i = 0; i < 50; i++) s.add(2.0);
        // weight of the last 50 steps: 1 - 0.98^50 = 0.636
        assertEquals(2.0 * 0.636 + 3.0 * 0.364, s.value(), 1e-3);
    }
}
