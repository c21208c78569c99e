package io.microgpt.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgpt.core.SamplingSettings;
import org.junit.jupiter.api.Test;

class NextTokenTest {
    /** Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1. */
    private static final double[] LOGITS = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)};

    private static double[] probabilities(SamplingSettings s) {
        NextToken t = new NextToken(4);
        t.probabilities(LOGITS.clone(), s, -1);
        return t.weights().clone();
    }

    @Test
    void topPKeepsTheSmallestSetWhoseProbabilityReachesP() {
        double[] p = probabilities(new SamplingSettings(1, 0, 0.75));   // 0.5 < 0.75 <= 0.5 + 0.3
        assertEquals(0.625, p[0], 1e-12);
        assertEquals(0.375, p[1], 1e-12);
        assertEquals(0.0, p[2]);
        assertEquals(0.0, p[3]);
        p = probabilities(new SamplingSettings(1, 0, 0.4));             // the most likely alone reaches it
        assertEquals(1.0, p[0], 1e-12);
        assertEquals(0.0, p[1]);
        p = probabilities(new SamplingSettings(1, 0, 0.9));             // 0.8 < 0.9 <= 0.95
        assertEquals(0.5 / 0.95, p[0], 1e-12);
        assertEquals(0.15 / 0.95, p[2], 1e-12);
        assertEquals(0.0, p[3]);
    }

    @Test
    void topPOfOneAndTopKOfZeroKeepEverything() {
        double[] p = probabilities(new SamplingSettings(1, 0, 1));
        assertEquals(0.5, p[0], 1e-12);
        assertEquals(0.05, p[3], 1e-12);
    }

    @Test
    void topKCutsFirstThenTopPCutsTheRest() {
        // top-2: 0.625, 0.375; then p = 0.6 keeps only the first
        double[] p = probabilities(new SamplingSettings(1, 2, 0.6));
        assertEquals(1.0, p[0], 1e-12);
        assertEquals(0.0, p[1]);
        assertEquals(0.0, p[2]);
    }

    @Test
    void anExcludedTokenIsNeverDrawnEvenWhenMostLikely() {
        NextToken t = new NextToken(4);
        t.probabilities(new double[] {9, 0, 0, 0}, SamplingSettings.ofTemperature(1), 0);
        assertEquals(0.0, t.weights()[0]);
        assertEquals(1 / 3.0, t.weights()[1], 1e-12);
    }
}
