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
 * The register-blocked kernels against plain loops (the oracle), on shapes that reach every block and every
 * remainder: widths of 1, 2, 3, 4 and 7 vectors (4 x 4 blocks when {@link VectorKernels#FOUR_BY_FOUR}, then
 * two-vector, then one-vector blocks), row counts 13 (8 + 4 + 1 rows at one vector; 4 + 4 + 4 + 1 at two) and
 * 7 (4 + 3), output counts not a multiple of 4. The build runs this class at 128 and 256 bits and at the
 * host's width, with the 4 x 4 blocks forced on and off (see the module's POM). Sums of up to 80 f32
 * products: bound 1e-5 absolute on values of order 1.
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

    /** The build's variant runs set these properties; a run that silently ignored them would test nothing new. */
    @Test
    void vectorWidthAndBlocksFollowTheSystemProperties() {
        int bits = Integer.getInteger("microgpt.simd.bits", 0);
        int widest = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(bits > 0 && bits < widest ? bits : widest, VectorKernels.SPECIES.vectorBitSize(), "vector bits");
        String forced = System.getProperty("microgpt.simd.blocks4x4");
        boolean expected = forced == null ? VectorKernels.SPECIES.vectorBitSize() >= 512 : Boolean.parseBoolean(forced);
        assertEquals(expected, VectorKernels.FOUR_BY_FOUR, "4x4 blocks");
        assertEquals(Integer.getInteger("microgpt.simd.depthBlock", 2048), VectorKernels.DEPTH_BLOCK, "depth block");
        System.out.printf("kernels at %d bits (%d lanes), 4x4 blocks %s, depth blocks of %d%n", VectorKernels.SPECIES.vectorBitSize(),
                L, VectorKernels.FOUR_BY_FOUR ? "on" : "off", VectorKernels.DEPTH_BLOCK);
    }

    @Test
    void multiplyMatchesPlainLoopsForEveryEpilogue() {
        int[][] shapes = {{7, 20, 27}, {9, 16, 64}, {5, 80, 20}, {1, 3, 1}, {13, 64, 3 * L + 1}, {13, 5, L},
            {13, 7, 2 * L}, {7, 9, 4 * L}, {13, 6, 7 * L - 3}, {4, 3, 4 * L + 2}, {17, 23, 9 * L - 1}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int depth = shape[1];
            int cols = shape[2];
            int width = VectorKernels.padded(cols);
            Matrix a = randomMatrix(rows + 2, depth);
            Matrix b = randomMatrix(depth, cols);
            Matrix extra = randomMatrix(rows + 2, cols);
            for (VectorKernels.Epilogue epilogue : VectorKernels.Epilogue.values()) {
                Matrix out = randomMatrix(rows + 2, cols);
                float[] before = out.data().clone();
                VectorKernels.multiply(a, 1, rows + 1, depth, b, width, out, epilogue, extra);
                for (int r = 0; r < rows + 2; r++) {
                    for (int c = 0; c < cols; c++) {
                        int oi = out.row(r) + c;
                        if (r == 0 || r == rows + 1) {
                            assertEquals(before[oi], out.data()[oi], 0f, "rows outside [from, to) are untouched");
                            continue;
                        }
                        double p = 0;
                        for (int k = 0; k < depth; k++) p += a.data()[a.row(r) + k] * b.data()[b.row(k) + c];
                        double x = extra.data()[extra.row(r) + c];
                        double expected = switch (epilogue) {
                            case ADD -> p + x;
                            case RELU -> Math.max(p, 0);
                            case GATE -> x > 0 ? p : 0;
                            case STORE -> p;
                        };
                        assertEquals(expected, out.data()[oi], 1e-5, "epilogue " + epilogue + " shape " + rows + "x" + depth
                                + "x" + cols + " at [" + r + ", " + c + "]");
                    }
                }
            }
        }
    }

    @Test
    void addEpilogueMayAccumulateIntoItsOwnOutput() {
        Matrix a = randomMatrix(6, 16);
        Matrix b = randomMatrix(16, 20);
        Matrix out = randomMatrix(6, 20);
        float[] before = out.data().clone();
        VectorKernels.multiply(a, 0, 6, 16, b, VectorKernels.padded(20), out, VectorKernels.Epilogue.ADD, out);
        double p = 0;
        for (int k = 0; k < 16; k++) p += a.data()[a.row(5) + k] * b.data()[b.row(k) + 19];
        assertEquals(before[out.row(5) + 19] + p, out.data()[out.row(5) + 19], 1e-5);
    }

    @Test
    void outerProductsMatchPlainLoops() {
        int[][] shapes = {{7, 27, 16}, {10, 64, 20}, {3, 5, 80}, {17, 6, 2 * L + 3}, {9, 9, L}, {5, 4, 2 * L},
            {19, 15, 9 * L + 3}, {8, 13, 4 * L}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int outputs = shape[1];
            int cols = shape[2];
            Matrix dy = randomMatrix(rows, outputs);
            Matrix x = randomMatrix(rows, cols);
            Matrix dw = randomMatrix(outputs, cols);
            float[] before = dw.data().clone();
            VectorKernels.outerProducts(dy, 1, rows, outputs, x, VectorKernels.padded(cols), dw, true);
            for (int o = 0; o < outputs; o++) {
                for (int c = 0; c < cols; c++) {
                    double expected = before[dw.row(o) + c];
                    for (int r = 1; r < rows; r++) expected += dy.data()[dy.row(r) + o] * x.data()[x.row(r) + c];
                    assertEquals(expected, dw.data()[dw.row(o) + c], 1e-5, "dw[" + o + ", " + c + "] of shape " + rows + "x" + outputs + "x" + cols);
                }
            }
        }
    }

    @Test
    void outerProductsWithoutAccumulateOverwrite() {
        Matrix dy = randomMatrix(9, 7);
        Matrix x = randomMatrix(9, 20);
        Matrix out = randomMatrix(7, 20);
        VectorKernels.outerProducts(dy, 2, 9, 7, x, VectorKernels.padded(20), out, false);
        for (int o = 0; o < 7; o++) {
            for (int c = 0; c < 20; c++) {
                double expected = 0;
                for (int r = 2; r < 9; r++) expected += dy.data()[dy.row(r) + o] * x.data()[x.row(r) + c];
                assertEquals(expected, out.data()[out.row(o) + c], 1e-5, "out[" + o + ", " + c + "]");
            }
        }
    }

    /**
     * With every epilogue, at a depth cut into blocks (when the build forces small ones) and rows in blocks of 6 and
     * 4 and single rows: the bits of a plain fma chain over k ascending, from extra for ADD, the ReLU or gate after it.
     */
    @Test
    void multiplyGivesTheBitsOfAPlainFmaLoopForEveryEpilogue() {
        int rows = 17;
        int depth = 30;
        int width = 9 * L;
        Matrix a = randomMatrix(rows, depth);
        Matrix b = randomMatrix(depth, width);
        Matrix extra = randomMatrix(rows, width);
        for (VectorKernels.Epilogue epilogue : VectorKernels.Epilogue.values()) {
            Matrix out = randomMatrix(rows, width);
            VectorKernels.multiply(a, 0, rows, depth, b, width, out, epilogue, extra);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < width; c++) {
                    float x = extra.data()[extra.row(r) + c];
                    float s = epilogue == VectorKernels.Epilogue.ADD ? x : 0f;
                    for (int k = 0; k < depth; k++) s = Math.fma(a.data()[a.row(r) + k], b.data()[b.row(k) + c], s);
                    float expected = switch (epilogue) {
                        case RELU -> Math.max(s, 0f);
                        case GATE -> x > 0 ? s : 0f;
                        default -> s;
                    };
                    assertEquals(expected, out.data()[out.row(r) + c], 0f, epilogue + " [" + r + ", " + c + "]");
                }
            }
        }
    }

    /** Every block variant sums each output in the same order: the bits equal a plain loop of the same fmas. */
    @Test
    void everyBlockGivesTheBitsOfAPlainFmaLoop() {
        int rows = 13;
        int depth = 11;
        int width = 7 * L;
        Matrix a = randomMatrix(rows, depth);
        Matrix b = randomMatrix(depth, width);
        Matrix out = randomMatrix(rows, width);
        VectorKernels.multiply(a, 0, rows, depth, b, width, out, VectorKernels.Epilogue.STORE, null);
        Matrix dw = randomMatrix(depth, width);
        VectorKernels.outerProducts(a, 0, rows, depth, out, width, dw, false);
        Matrix added = randomMatrix(depth, width);
        float[] before = added.data().clone();
        VectorKernels.outerProducts(a, 0, rows, depth, out, width, added, true);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                float s = 0;
                for (int k = 0; k < depth; k++) s = Math.fma(a.data()[a.row(r) + k], b.data()[b.row(k) + c], s);
                assertEquals(s, out.data()[out.row(r) + c], 0f, "multiply [" + r + ", " + c + "]");
            }
        }
        for (int o = 0; o < depth; o++) {
            for (int c = 0; c < width; c++) {
                float s = 0;
                for (int r = 0; r < rows; r++) s = Math.fma(out.data()[out.row(r) + c], a.data()[a.row(r) + o], s);
                assertEquals(s, dw.data()[dw.row(o) + c], 0f, "outerProducts [" + o + ", " + c + "]");
                assertEquals(before[added.row(o) + c] + s, added.data()[added.row(o) + c], 0f,
                        "outerProducts added once [" + o + ", " + c + "]");
            }
        }
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
