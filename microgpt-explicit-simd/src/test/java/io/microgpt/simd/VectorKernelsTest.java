package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.TrainingConfig;
import io.microgpt.core.spi.Adam;
import io.microgpt.core.spi.AdamStep;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector helpers against plain loops: dot products, the softmax's exponential, Adam (the products:
 * {@link GemmTest}; sums of lanes: {@link LaneSumsTest}). The build runs this class at 128 and 256 bits and at the host's width.
 */
class VectorKernelsTest {
    private static final int L = VectorKernels.LANES;
    private final Random random = new Random(1);

    private Matrix randomMatrix(int rows, int cols) {
        int stride = VectorKernels.padded(cols);
        float[] data = new float[rows * stride + 3];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) data[3 + r * stride + c] = (float) random.nextGaussian();
        return new Matrix(data, 3, stride);
    }

    /** The build's variant runs set this property; a run that silently ignored it would test nothing new. */
    @Test
    void vectorWidthFollowsTheSystemProperty() {
        int bits = Integer.getInteger("microgpt.simd.bits", 0);
        int widest = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(bits > 0 && bits < widest ? bits : widest, VectorKernels.SPECIES.vectorBitSize(), "vector bits");
        System.out.printf("kernels at %d bits (%d lanes)%n", VectorKernels.SPECIES.vectorBitSize(), L);
    }

    /** dot: an fma chain per lane over the width, then the lanes added in lane order. */
    @Test
    void dotSumsItsLanesInLaneOrder() {
        float[] a = new float[3 * L];
        float[] b = new float[3 * L];
        for (int j = 0; j < a.length; j++) {
            a[j] = (float) random.nextGaussian();
            b[j] = (float) random.nextGaussian();
        }
        float[] lanes = new float[L];
        for (int c = 0; c < a.length; c++) lanes[c % L] = Math.fma(a[c], b[c], lanes[c % L]);
        float expected = lanes[0];
        for (int j = 1; j < L; j++) expected += lanes[j];
        assertEquals(expected, VectorKernels.dot(a, 0, b, 0, a.length), 0f, "dot: an fma chain per lane, then the lanes in order");
    }

    /** Within 3 ulp (relative 3.6e-7) of the correctly rounded e^x over the softmax range; 0 for -inf. */
    @Test
    void polynomialExpIsAccurateOnNonPositiveArguments() {
        float[] x = new float[L];
        float[] y = new float[L];
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            for (int j = 0; j < L; j++) x[j] = (float) (-87 * random.nextDouble());
            if (i == 0) x[0] = 0f;
            VectorKernels.expNonPositive(FloatVector.fromArray(VectorKernels.SPECIES, x, 0)).intoArray(y, 0);
            for (int j = 0; j < L; j++) worst = Math.max(worst, Math.abs(y[j] - Math.exp(x[j])) / Math.exp(x[j]));
        }
        assertTrue(worst <= 3.6e-7, "worst relative error " + worst);
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = -100f;
        VectorKernels.expNonPositive(FloatVector.fromArray(VectorKernels.SPECIES, x, 0)).intoArray(y, 0);
        assertEquals(0f, y[0]);
        assertEquals(0f, y[1]);
    }

    /** Five updates of the f32 Adam track core's f64 Adam to f32 precision (weights move ~lr = 0.01 per step). */
    @Test
    void adamMatchesCoreAdam() {
        int n = 4 * L;
        double[] w = new double[n];
        float[] wf = new float[n];
        double[] m = new double[n];
        double[] v = new double[n];
        AdamF32 adam = new AdamF32(n);
        for (int i = 0; i < n; i++) wf[i] = (float) (w[i] = random.nextGaussian() * 0.1);
        for (int t = 0; t < 5; t++) {
            double[] g = new double[n];
            float[] gf = new float[n];
            for (int i = 0; i < n; i++) gf[i] = (float) (g[i] = random.nextGaussian());
            AdamStep step = AdamStep.of(TrainingConfig.reference(), t);
            Adam.update(w, g, m, v, n, step);
            adam.update(wf, gf, step, 1f, 0, n);
        }
        for (int i = 0; i < n; i++) assertEquals(w[i], wf[i], 1e-6, "weight " + i);
    }
}
