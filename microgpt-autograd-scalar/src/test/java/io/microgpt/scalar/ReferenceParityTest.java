package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Dataset;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.ParameterLayout;
import io.microgpt.core.Parameters;
import io.microgpt.core.PyRandom;
import io.microgpt.core.ReferenceTraces;
import io.microgpt.core.StepReport;
import io.microgpt.core.TensorSpec;
import io.microgpt.core.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scalar backend against what microgpt.py computed with seed 42 (test resources copied from the shared traces). */
class ReferenceParityTest {
    private static final ModelConfig CONFIG = ModelConfig.reference(27);

    @Test
    void shuffledOrderMatchesReference() {
        List<String> shuffled = Dataset.bundledNames().shuffled(new PyRandom(42));
        assertEquals(ReferenceTraces.shuffledDocuments(), shuffled);
    }

    @Test
    void stepOneGradientsMatchReference() {
        Parameters initial = new Parameters(new ParameterLayout(CONFIG), ReferenceTraces.initialWeights(CONFIG));
        double[] expected = ReferenceTraces.stepOneGradient(CONFIG);
        List<String> docs = ReferenceTraces.shuffledDocuments();
        io.microgpt.core.Tokenizer tok = io.microgpt.core.Tokenizer.fromDocuments(docs);
        double[] grad = new double[initial.size()];
        try (ScalarEngine engine = new ScalarEngine(initial)) {
            engine.lossAndGradient(new int[][] {tok.encodeDocument(docs.get(0))}, grad);
        }
        double worst = 0;
        int exact = 0;
        for (int i = 0; i < grad.length; i++) {
            double rel = Math.abs(grad[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-300);
            if (grad[i] == expected[i]) exact++;
            worst = Math.max(worst, expected[i] == 0 ? Math.abs(grad[i]) : rel);
        }
        System.out.println("step-1 gradients: " + exact + " of " + grad.length + " bit-exact, worst relative error " + worst);
        assertTrue(worst <= 1e-12, "worst relative error " + worst);
    }
}
