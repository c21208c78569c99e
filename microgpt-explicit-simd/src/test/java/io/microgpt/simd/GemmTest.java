package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The register-blocked products against their plain-loop oracles ({@link Gemm#multiplyPlain},
 * {@link Gemm#outerProductsPlain}), bit for bit, on shapes that reach every block and every remainder: row and output
 * counts 1 to 21 (blocks of 6, then 4, then single ones, and the 8 or 9 left as two blocks of 4), widths of 1 to 9
 * vectors (whole panels and a narrower last one), depths that the build cuts into blocks of 7
 * ({@code -Dmicrogpt.simd.depthBlock=7}), views that begin at a later row or column. The build runs this class at 128
 * and 256 bits and at the host's width, with the wide blocks forced on and off (see the module's POM). The oracles
 * themselves are checked against sums in double (values of order 1, sums of at most 40 products: 1e-5 absolute).
 */
class GemmTest {
    private static final int L = VectorKernels.LANES;
    private final Random random = new Random(1);

    private Matrix randomMatrix(int rows, int cols) {
        int stride = VectorKernels.padded(cols);
        float[] data = new float[rows * stride + 3];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) data[3 + r * stride + c] = (float) random.nextGaussian();
        return new Matrix(data, 3, stride);
    }

    private Panels randomPanels(int rows, int cols) {
        int width = VectorKernels.padded(cols);
        float[] data = new float[rows * width + 5];
        Panels p = new Panels(data, 5, rows, width);
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) data[p.index(r, c)] = (float) random.nextGaussian();
        return p;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], 0f, what + ": element " + i + " of the array");
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the oracle's " + expected[i] + " (sign of zero)");
            }
        }
    }

    /** The build's variant runs set these properties; a run that silently ignored them would test nothing new. */
    @Test
    void blocksAndDepthFollowTheSystemProperties() {
        String forced = System.getProperty("microgpt.simd.blocks4x4");
        boolean expected = forced == null ? VectorKernels.SPECIES.vectorBitSize() >= 512 : Boolean.parseBoolean(forced);
        assertEquals(expected, Gemm.FOUR_BY_FOUR, "wide blocks");
        assertEquals((expected ? 4 : 2) * L, Gemm.PANEL, "panel width");
        assertEquals(Integer.getInteger("microgpt.simd.depthBlock", 2048), Gemm.DEPTH_BLOCK, "depth block");
        System.out.printf("products at %d bits: panels of %d floats, wide blocks %s, depth blocks of %d%n",
                VectorKernels.SPECIES.vectorBitSize(), Gemm.PANEL, Gemm.FOUR_BY_FOUR ? "on" : "off", Gemm.DEPTH_BLOCK);
    }

    /** Blocks of 6 where they leave nothing, or 4 or 5 or 1; one fewer where they would leave 2 or 3. */
    @Test
    void rowsGoInBlocksOfSixThenFour() {
        int[] expected = {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 1, 1, 2, 2, 3};
        for (int n = 0; n < expected.length; n++) assertEquals(expected[n], Gemm.blocksOfSix(n), "blocks of 6 in " + n);
    }

    @Test
    void panelsPlaceEachElementInItsColumnsPanel() {
        int width = Gemm.PANEL + 2 * L;
        Panels p = new Panels(new float[7 * width + 3], 3, 7, width);
        assertEquals(2, p.count());
        assertEquals(3 + 4 * Gemm.PANEL + 1, p.index(4, 1), "first panel: rows PANEL apart");
        assertEquals(3 + 7 * Gemm.PANEL + 4 * 2 * L + 1, p.index(4, Gemm.PANEL + 1), "last panel: rows 2 vectors apart");
        assertEquals(p.index(4, Gemm.PANEL + 1), p.rowsFrom(3).index(1, Gemm.PANEL + 1), "a view from row 3");
    }

    @Test
    void multiplyGivesTheOraclesBitsForEveryEpilogueAndShape() {
        int[][] shapes = {{1, 3, 1}, {5, 9, 27}, {7, 20, 27}, {8, 16, 4 * L}, {9, 7, 3 * L + 1}, {13, 5, L}, {14, 33, 2 * L},
            {17, 23, 9 * L - 1}, {19, 8, 5 * L}, {20, 16, 8 * L}, {21, 6, 7 * L - 3}, {4, 40, 4 * L + 2}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int depth = shape[1];
            int cols = shape[2];
            Matrix a = randomMatrix(rows + 2, depth);
            Panels b = randomPanels(depth, cols);
            Matrix extra = randomMatrix(rows + 2, cols);
            for (Gemm.Epilogue epilogue : Gemm.Epilogue.values()) {
                Matrix out = randomMatrix(rows + 2, cols);
                Matrix expected = new Matrix(out.data().clone(), out.offset(), out.stride());
                Gemm.multiply(a, 1, rows + 1, depth, b, out, epilogue, extra);
                Gemm.multiplyPlain(a, 1, rows + 1, depth, b, expected, epilogue, extra);
                assertSameBits(expected.data(), out.data(), epilogue + " " + rows + "x" + depth + "x" + cols
                        + " (rows outside [1, rows + 1) untouched)");
            }
        }
    }

    @Test
    void addEpilogueMayAccumulateIntoItsOwnOutput() {
        Matrix a = randomMatrix(10, 16);
        Panels b = randomPanels(16, 5 * L);
        Matrix out = randomMatrix(10, 5 * L);
        Matrix expected = new Matrix(out.data().clone(), out.offset(), out.stride());
        Gemm.multiply(a, 0, 10, 16, b, out, Gemm.Epilogue.ADD, out);
        Gemm.multiplyPlain(a, 0, 10, 16, b, expected, Gemm.Epilogue.ADD, expected);
        assertSameBits(expected.data(), out.data(), "out += a b");
    }

    @Test
    void outerProductsGiveTheOraclesBitsWrittenOrAdded() {
        int[][] shapes = {{7, 27, 16}, {10, 64, 20}, {3, 5, 80}, {17, 6, 2 * L + 3}, {9, 9, L}, {5, 4, 2 * L},
            {19, 15, 9 * L + 3}, {8, 13, 4 * L}, {12, 20, 8 * L}, {6, 21, 5 * L}, {11, 8, 4 * L}, {4, 1, 3 * L}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int outputs = shape[1];
            int cols = shape[2];
            Matrix dy = randomMatrix(rows, outputs + 3);
            Matrix x = randomMatrix(rows, cols);
            for (boolean accumulate : new boolean[] {false, true}) {
                // the share of outputs [3, outputs + 3) of a dw of outputs + 5 rows: dy from column 3, dw from row 3
                Panels dw = randomPanels(outputs + 5, cols);
                Panels expected = new Panels(dw.data().clone(), dw.offset(), dw.rows(), dw.width());
                Matrix dyShare = new Matrix(dy.data(), dy.offset() + 3, dy.stride());
                Gemm.outerProducts(dyShare, 1, rows, outputs, x, dw.rowsFrom(3), accumulate);
                Gemm.outerProductsPlain(dyShare, 1, rows, outputs, x, expected.rowsFrom(3), accumulate);
                assertSameBits(expected.data(), dw.data(), (accumulate ? "added " : "written ") + rows + "x" + outputs + "x" + cols
                        + " (rows outside the share untouched)");
            }
        }
    }

    /** The oracles compute the products they name. */
    @Test
    void oraclesAreTheProducts() {
        int rows = 9;
        int depth = 40;
        int cols = 3 * L + 5;
        Matrix a = randomMatrix(rows, depth);
        Panels b = randomPanels(depth, cols);
        Matrix out = randomMatrix(rows, cols);
        Gemm.multiplyPlain(a, 0, rows, depth, b, out, Gemm.Epilogue.STORE, null);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int k = 0; k < depth; k++) s += (double) a.data()[a.row(r) + k] * b.data()[b.index(k, c)];
                assertEquals(s, out.data()[out.row(r) + c], 1e-5, "a b [" + r + ", " + c + "]");
            }
        }
        Panels dw = randomPanels(depth, cols);
        float[] before = dw.data().clone();
        Matrix x = randomMatrix(rows, cols);
        Gemm.outerProductsPlain(a, 0, rows, depth, x, dw, true);
        for (int o = 0; o < depth; o++) {
            for (int c = 0; c < cols; c++) {
                double s = before[dw.index(o, c)];
                for (int r = 0; r < rows; r++) s += (double) a.data()[a.row(r) + o] * x.data()[x.row(r) + c];
                assertEquals(s, dw.data()[dw.index(o, c)], 1e-5, "dw + a^T x [" + o + ", " + c + "]");
            }
        }
    }
}
