package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Each kernel {@link ProductTimer} times through a {@link ProductCell} computes the product it names, at a small shape (nothing is timed). */
class ProductCellTest {

    /** out = a b: every element a plain sum over the depth (sums of 7 products of order 0.01: 1e-6 absolute). */
    @Test
    void multiplyComputesAB() {
        ProductCell cell = new ProductCell("multiply", 9, "7x20");
        cell.call();
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 20; c++) {
                double expected = 0;
                for (int k = 0; k < 7; k++) expected += cell.left.data()[cell.left.row(r) + k] * cell.panels.data()[cell.panels.index(k, c)];
                assertEquals(expected, cell.out.data()[cell.out.row(r) + c], 1e-6, "out[" + r + ", " + c + "]");
            }
        }
    }

    /** outer writes dy^T x; outer-add adds it to what dw held (sums of 9 products: 1e-6 absolute). */
    @Test
    void outerProductsComputeDyTransposedX() {
        for (String kernel : new String[] {"outer", "outer-add"}) {
            ProductCell cell = new ProductCell(kernel, 9, "7x20");
            float[] before = cell.panels.data().clone();
            cell.call();
            for (int o = 0; o < 7; o++) {
                for (int c = 0; c < 20; c++) {
                    double expected = kernel.equals("outer-add") ? before[cell.panels.index(o, c)] : 0;
                    for (int r = 0; r < 9; r++) expected += cell.left.data()[cell.left.row(r) + o] * cell.right.data()[cell.right.row(r) + c];
                    assertEquals(expected, cell.panels.data()[cell.panels.index(o, c)], 1e-6, kernel + " dw[" + o + ", " + c + "]");
                }
            }
        }
    }

    /** A kernel or shape the timer does not know is refused with the names it does know. */
    @Test
    void unknownKernelOrShapeIsRefused() {
        IllegalArgumentException kernel = assertThrows(IllegalArgumentException.class, () -> new ProductCell("gemv", 9, "7x20"));
        assertEquals("kernel gemv: use multiply, outer or outer-add", kernel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProductCell("multiply", 9, "7"));
    }

    /** FLOPs of a call: 2 per multiply-add over rows x depth x the width padded to whole vectors. */
    @Test
    void flopsCountThePaddedWidth() {
        ProductCell cell = new ProductCell("multiply", 9, "7x20");
        assertEquals(2.0 * 9 * 7 * VectorKernels.padded(20), cell.flops());
    }
}
