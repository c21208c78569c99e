package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link LaneSums} against its plain loop, at every vector width the build runs (128, 256 and the host's). */
class LaneSumsTest {
    private static final int L = VectorKernels.LANES;
    private final Random random = new Random(1);

    /**
     * The lanes are added left to right, as a plain loop over them does: the same bits whatever the JDK (200,000
     * sums: enough for the optimising compiler to take over, whose reduction is the one that differs).
     */
    @Test
    void lanesAreSummedInLaneOrder() {
        float[] x = new float[L];
        for (int i = 0; i < 200_000; i++) {
            for (int j = 0; j < L; j++) x[j] = (float) (random.nextGaussian() * Math.exp(3 * random.nextGaussian()));
            float expected = x[0];
            for (int j = 1; j < L; j++) expected += x[j];
            FloatVector v = FloatVector.fromArray(VectorKernels.SPECIES, x, 0);
            assertEquals(expected, LaneSums.sumInLaneOrder(v), 0f, "lanes " + java.util.Arrays.toString(x));
            assertEquals(expected, LaneSums.sumLanesOneByOne(v), 0f, "spilled lanes " + java.util.Arrays.toString(x));
        }
    }
}
