package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import org.junit.jupiter.api.Test;

/** Each training control against values computed by hand. */
class TrainingControlsTest {
    private static final TrainingControls RECIPE =
            new TrainingControls(100, TrainingControls.Schedule.COSINE, 1e-4, 0.1, 1.0);

    @Test
    void warmupThenCosineLearningRateAtChosenSteps() {
        TrainingConfig c = new TrainingConfig(2000, 12, 1e-3, 0.9, 0.99, 1e-8, 1, RECIPE);
        // warm-up: lr * (k + 1) / (W + 1)
        assertEquals(1e-3 * 1 / 101, c.learningRateAt(0), 1e-18);
        assertEquals(1e-3 * 50 / 101, c.learningRateAt(49), 1e-18);
        assertEquals(1e-3 * 100 / 101, c.learningRateAt(99), 1e-18);
        // k = W: ratio 0, cos 0 = 1: the full rate
        assertEquals(1e-3, c.learningRateAt(100), 1e-18);
        // halfway through the decay (k = 100 + 1900 / 2 = 1050): cos(pi / 2) = 0, so the mean of lr and min
        assertEquals((1e-3 + 1e-4) / 2, c.learningRateAt(1050), 1e-15);
        // a quarter of the way: min + (lr - min) * (1 + cos(pi / 4)) / 2
        assertEquals(1e-4 + 9e-4 * (1 + Math.sqrt(0.5)) / 2, c.learningRateAt(575), 1e-15);
        // last step: ratio 1899 / 1900, just above the floor
        assertEquals(1e-4 + 9e-4 * 0.5 * (1 + Math.cos(Math.PI * 1899 / 1900)), c.learningRateAt(1999), 1e-18);
        assertTrue(c.learningRateAt(1999) > 1e-4 && c.learningRateAt(1999) < 1.0001e-4);
    }

    @Test
    void linearScheduleWithWarmupAndFloor() {
        TrainingControls linear = new TrainingControls(10, TrainingControls.Schedule.LINEAR, 0.001, 0, 0);
        TrainingConfig c = new TrainingConfig(110, 1, 0.01, 0.85, 0.99, 1e-8, 1, linear);
        assertEquals(0.01 * 5 / 11, c.learningRateAt(4), 1e-18);
        assertEquals(0.01, c.learningRateAt(10), 1e-15);
        assertEquals(0.001 + 0.009 * (1 - 50 / 100.0), c.learningRateAt(60), 1e-15);
    }

    @Test
    void withoutControlsTheScheduleIsTheReferenceBitForBit() {
        TrainingConfig c = TrainingConfig.reference();
        for (int k : new int[] {0, 1, 333, 500, 999}) {
            assertEquals(0.01 * (1 - (double) k / 1000), c.learningRateAt(k), 0.0, "step " + k);
        }
        assertTrue(c.controls().isNone());
    }

    @Test
    void clippingScalesTheWholeGradientToTheMaximumNorm() {
        AdamStep s = AdamStep.of(new TrainingConfig(10, 1, 0.01, 0.9, 0.99, 1e-8, 1,
                new TrainingControls(0, TrainingControls.Schedule.LINEAR, 0, 0, 1.0)), 0);
        // g = (3, 4, 0) has norm 5: scale = 1 / (5 + 1e-6)
        double scale = 1.0 / (5 + 1e-6);
        assertEquals(scale, s.clipScale(5.0), 0.0);
        assertEquals(1.0, s.clipScale(0.5), 0.0, "a gradient inside the ball is not scaled");
        double[] w = {0, 0, 0};
        double[] m = new double[3];
        double[] v = new double[3];
        Adam.update(w, new double[] {3, 4, 0}, m, v, 3, s);
        assertEquals(0.1 * 3 * scale, m[0], 1e-15);
        assertEquals(0.1 * 4 * scale, m[1], 1e-15);
        assertEquals(0.01 * (4 * scale) * (4 * scale), v[1], 1e-15);
        double clippedNorm = Math.sqrt((m[0] / 0.1) * (m[0] / 0.1) + (m[1] / 0.1) * (m[1] / 0.1));
        assertEquals(1.0, clippedNorm, 1e-6, "the gradient Adam saw has norm 1");
    }

    @Test
    void decoupledDecayShrinksAParameterByLrTimesDecayIndependentlyOfItsGradient() {
        TrainingConfig c = new TrainingConfig(10, 1, 0.01, 0.9, 0.99, 1e-8, 1,
                new TrainingControls(0, TrainingControls.Schedule.LINEAR, 0, 0.1, 0));
        AdamStep s = AdamStep.of(c, 0);
        // zero gradient: Adam's step is 0, only the decay acts: w = 2 - 0.01 * 0.1 * 2 = 1.998
        double[] w = {2.0, -4.0};
        Adam.update(w, new double[2], new double[2], new double[2], 2, s);
        assertEquals(1.998, w[0], 1e-15);
        assertEquals(-3.996, w[1], 1e-15);
        // with a gradient: the decay adds to Adam's step, it is not folded into the gradient (as L2 would be)
        double[] w2 = {2.0};
        Adam.update(w2, new double[] {0.5}, new double[1], new double[1], 1, s);
        assertEquals(2.0 - 0.01 * 0.1 * 2.0 - 0.01 * 0.5 / (0.5 + 1e-8), w2[0], 1e-15);
    }

    @Test
    void badControlsAreRefusedWithTheirName() {
        assertTrue(assertThrows(MicrogptException.class,
                () -> new TrainingControls(-1, TrainingControls.Schedule.LINEAR, 0, 0, 0)).getMessage().contains("warm-up"));
        assertTrue(assertThrows(MicrogptException.class,
                () -> new TrainingControls(0, TrainingControls.Schedule.LINEAR, 0, -0.1, 0)).getMessage().contains("weight decay"));
        assertTrue(assertThrows(MicrogptException.class,
                () -> new TrainingControls(0, TrainingControls.Schedule.LINEAR, 0, 0, Double.NaN)).getMessage().contains("clip"));
        assertTrue(assertThrows(MicrogptException.class,
                () -> TrainingControls.Schedule.parse("step")).getMessage().contains("linear or cosine"));
        assertTrue(assertThrows(MicrogptException.class, () -> new TrainingConfig(100, 1, 0.01, 0.9, 0.99, 1e-8, 1,
                new TrainingControls(100, TrainingControls.Schedule.LINEAR, 0, 0, 0))).getMessage().contains("shorter"));
        assertTrue(assertThrows(MicrogptException.class, () -> new TrainingConfig(100, 1, 0.01, 0.9, 0.99, 1e-8, 1,
                new TrainingControls(0, TrainingControls.Schedule.COSINE, 0.1, 0, 0))).getMessage().contains("above"));
    }
}
