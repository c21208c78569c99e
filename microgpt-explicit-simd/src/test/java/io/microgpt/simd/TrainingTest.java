package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.Parameters;
import org.junit.jupiter.api.Test;

/** Training with the simd backend: its defaults, Adam against the f64 engine, and checkpoint round trips. */
class TrainingTest {

    @Test
    void defaultRunReachesLossBelow2point30() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend("simd").start()) {
            assertEquals(16, run.trainingConfig().batchSize(), "simd trains at batch 16 unless told otherwise");
            double lastHundred = 0;
            while (run.stepsDone() < run.trainingConfig().steps()) {
                StepReport r = run.step();
                if (r.step() > r.totalSteps() - 100) lastHundred += r.loss();
            }
            double mean = lastHundred / 100;
            System.out.printf("simd defaults: mean loss of the last 100 steps %.4f; samples: %s, %s, %s%n",
                    mean, run.sample(0.5), run.sample(0.5), run.sample(0.5));
            assertTrue(mean <= 2.30, "mean loss over the last 100 steps " + mean + " > 2.30");
        }
    }

    /**
     * Ten Adam steps from the same weights on the same batches: the losses track the f64 engine's to 1e-4
     * relative (f32 rounding compounds a little through the updates, each moving weights by ~lr = 0.01).
     */
    @Test
    void adamStepsTrackScalarEngine() {
        ModelConfig config = Fixtures.config(16, 4, 1, 16);
        Parameters weights = Fixtures.weights(config, 21);
        TrainingConfig training = TrainingConfig.reference().withSteps(10);
        try (Engine scalar = Fixtures.scalar(weights); Engine simd = Fixtures.simd(weights)) {
            for (int s = 0; s < 10; s++) {
                int[][] batch = Fixtures.batch(40 * s, 4);
                AdamStep step = AdamStep.of(training, s);
                double expected = scalar.trainStep(batch, step);
                double actual = simd.trainStep(batch, step);
                assertEquals(expected, actual, 1e-4 * expected, "loss of step " + (s + 1));
            }
        }
    }

    @Test
    void weightsAndOptimizerStateRoundTripThroughDoubles() {
        ModelConfig config = Fixtures.config(20, 4, 2, 8);
        Parameters weights = Fixtures.weights(config, 2);
        try (Engine simd = Fixtures.simd(weights)) {
            double[] out = simd.parameters().data();
            for (int i = 0; i < out.length; i++) assertEquals((float) weights.data()[i], out[i], 0.0, "weight " + i);
            simd.trainStep(Fixtures.batch(0, 3), AdamStep.of(TrainingConfig.reference(), 0));
            OptimizerState state = simd.optimizerState();
            Parameters trained = simd.parameters();
            try (Engine other = Fixtures.simd(weights)) {
                other.loadParameters(trained);
                other.loadOptimizerState(state);
                assertEquals(simd.loss(Fixtures.batch(9, 5)), other.loss(Fixtures.batch(9, 5)), 0.0);
                int[][] next = Fixtures.batch(30, 3);
                AdamStep second = AdamStep.of(TrainingConfig.reference(), 1);
                assertEquals(simd.trainStep(next, second), other.trainStep(next, second), 0.0);
                assertEquals(simd.loss(next), other.loss(next), 0.0, "same weights and moments give the same update");
            }
        }
    }
}
