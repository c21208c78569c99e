package io.microgpt.core.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientCheckTest {
    /** The smallest model shape: 58 parameters in 9 tensors. */
    private static final ModelConfig TINY = new ModelConfig(2, 2, 1, 1, 1, 0.08);
    private static final int[][] BATCH = {{1, 0, 1}};

    /**
     * An engine with a loss whose gradient is known in closed form and which has a ReLU kink at 0 in every
     * coordinate: L(p) = sum_i (i + 1) p_i^2 / 2 + relu(p_i), so dL/dp_i = (i + 1) p_i + [p_i > 0].
     */
    private static final class AnalyticEngine implements Engine {
        private double[] p;

        AnalyticEngine(Parameters initial) {
            p = initial.data().clone();
        }

        static double[] gradientAt(double[] p) {
            double[] g = new double[p.length];
            for (int i = 0; i < p.length; i++) g[i] = (i + 1) * p[i] + (p[i] > 0 ? 1 : 0);
            return g;
        }

        @Override
        public ModelConfig config() {
            return TINY;
        }

        @Override
        public double trainStep(int[][] documents, AdamStep step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double lossAndGradient(int[][] documents, double[] gradient) {
            System.arraycopy(gradientAt(p), 0, gradient, 0, p.length);
            return loss(documents);
        }

        @Override
        public double loss(int[][] documents) {
            double sum = 0;
            for (int i = 0; i < p.length; i++) sum += (i + 1) * p[i] * p[i] / 2 + Math.max(0, p[i]);
            return sum;
        }

        @Override
        public LogitStream openStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Parameters parameters() {
            return new Parameters(new ParameterLayout(TINY), p.clone());
        }

        @Override
        public void loadParameters(Parameters parameters) {
            p = parameters.data().clone();
        }

        @Override
        public OptimizerState optimizerState() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void loadOptimizerState(OptimizerState state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** Weights in [-1, 1] but at least 0.01 away from the kink at 0. */
    private static Parameters smoothPoint() {
        Parameters at = Parameters.zeros(TINY);
        SplittableRandom random = new SplittableRandom(7);
        double[] p = at.data();
        for (int i = 0; i < p.length; i++) p[i] = (random.nextBoolean() ? 1 : -1) * (0.01 + 0.99 * random.nextDouble());
        return at;
    }

    @Test
    void finiteDifferencesMatchTheAnalyticGradientAwayFromKinks() {
        Parameters at = smoothPoint();
        AnalyticEngine engine = new AnalyticEngine(at);
        double[] exact = GradientCheck.gradient(engine, BATCH);
        assertArrayEquals(AnalyticEngine.gradientAt(at.data()), exact, 0.0);
        ParameterLayout layout = at.layout();
        int[] every = new int[layout.size()];
        Arrays.setAll(every, i -> i);
        GradientCheck.FiniteDifferences fd = GradientCheck.finiteDifferences(engine, at, BATCH, every, 1e-6);
        assertEquals(0, fd.kinks());
        for (GradientCheck.TensorDifference d : GradientCheck.compare(layout, exact, fd)) {
            // Quadratic + linear: the central difference is exact up to rounding, ~1e-16 * L / h = 1e-8 here.
            assertTrue(d.maxAbsDifference() < 1e-7, d.toString());
            assertTrue(d.within(1e-6, 1e-10), d.toString());
        }
        assertArrayEquals(at.data(), engine.parameters().data(), 0.0, "weights restored");
    }

    @Test
    void aParameterWithinHOfAKinkIsFlaggedAndSkippedByTheComparison() {
        Parameters at = smoothPoint();
        int k = new ParameterLayout(TINY).tensor("lm_head").offset() + 1;
        at.data()[k] = 3e-7;   // within h = 1e-6 of the kink: the central difference straddles it
        AnalyticEngine engine = new AnalyticEngine(at);
        double[] exact = GradientCheck.gradient(engine, BATCH);
        int[] indices = {k - 1, k, k + 1};
        GradientCheck.FiniteDifferences fd = GradientCheck.finiteDifferences(engine, at, BATCH, indices, 1e-6);
        assertArrayEquals(new boolean[] {true, false, true}, fd.smooth());
        assertEquals(1, fd.kinks());
        assertTrue(Math.abs(fd.values()[1] - exact[k]) > 0.1, "the straddling difference is far off: " + fd.values()[1]);
        GradientCheck.TensorDifference lmHead = GradientCheck.compare(at.layout(), exact, fd).get(2);
        assertEquals("lm_head", lmHead.tensor());
        assertEquals(2, lmHead.compared(), "the kinked parameter is not compared");
        assertTrue(lmHead.within(1e-6, 1e-10), lmHead.toString());
    }

    @Test
    void aWrongGradientIsReportedAtItsWorstElement() {
        Parameters at = smoothPoint();
        double[] exact = AnalyticEngine.gradientAt(at.data());
        double[] wrong = exact.clone();
        TensorSpec fc1 = at.layout().tensor("layer0.mlp_fc1");
        wrong[fc1.offset() + 3] += 0.05;
        wrong[fc1.offset() + 5] += 0.01;
        List<GradientCheck.TensorDifference> diffs = GradientCheck.compare(at.layout(), wrong, exact);
        for (GradientCheck.TensorDifference d : diffs) {
            if (d.tensor().equals("layer0.mlp_fc1")) {
                assertEquals(fc1.offset() + 3, d.worstIndex());
                assertEquals(0.05, d.maxAbsDifference(), 1e-12);
                assertEquals(fc1.size(), d.compared());
                assertFalse(d.within(1e-3, 1e-10), d.toString());
            } else {
                assertEquals(0.0, d.maxAbsDifference(), d.tensor());
                assertTrue(d.within(1e-3, 1e-10), d.toString());
            }
        }
    }

    @Test
    void nanNeverPasses() {
        Parameters at = smoothPoint();
        double[] exact = AnalyticEngine.gradientAt(at.data());
        double[] broken = exact.clone();
        broken[0] = Double.NaN;
        GradientCheck.TensorDifference wte = GradientCheck.compare(at.layout(), broken, exact).get(0);
        assertFalse(wte.within(1e300, 1e300), wte.toString());
    }

    @Test
    void samplesIncludeEachTensorsLargestGradient() {
        ParameterLayout layout = new ParameterLayout(ModelConfig.reference(27));
        double[] g = new double[layout.size()];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < g.length; i++) g[i] = random.nextDouble() - 0.5;
        TensorSpec wq = layout.tensor("layer0.attn_wq");
        g[wq.offset() + 77] = -9;
        int[] picked = GradientCheck.sampleIndices(layout, g, 5, 42);
        assertEquals(5 * layout.tensors().size(), picked.length);
        assertEquals(picked.length, Arrays.stream(picked).distinct().count(), "no parameter twice");
        assertTrue(Arrays.stream(picked).anyMatch(i -> i == wq.offset() + 77));
        for (int i = 1; i < picked.length; i++) assertTrue(picked[i] > picked[i - 1], "tensor by tensor, ascending");
        assertThrows(MicrogptException.class, () -> GradientCheck.sampleIndices(layout, g, 0, 42));
    }
}
