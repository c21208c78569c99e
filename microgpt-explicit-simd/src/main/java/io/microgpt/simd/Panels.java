package io.microgpt.simd;

/**
 * A matrix kept as column panels, the layout the matrix products read their weights in ({@link Gemm}): panel p holds
 * columns [p {@link Gemm#PANEL}, (p + 1) PANEL) of every row, one row after the other, so that walking a panel down
 * its rows reads contiguous memory; the last panel is narrower when the width is not a whole number of panels.
 * Element [r, c] is at {@code panelStart(c / PANEL) + r * panelWidth(c / PANEL) + c % PANEL}. The width is a whole
 * number of vectors, the lanes past a row's real width hold 0.
 *
 * <p>A view may begin at a later row ({@link #rowsFrom}): a thread's share of a weight gradient's outputs.
 *
 * @param data     the array
 * @param offset   where panel 0 begins (with row 0, not {@code firstRow})
 * @param rows     rows of every panel in the array
 * @param width    floats per row (a whole number of vectors)
 * @param firstRow the view's row 0
 */
record Panels(float[] data, int offset, int rows, int width, int firstRow) {

    /** A whole [rows x width] matrix at {@code offset}. */
    Panels(float[] data, int offset, int rows, int width) {
        this(data, offset, rows, width, 0);
    }

    /** Panels of this width. */
    static int count(int width) {
        return (width + Gemm.PANEL - 1) / Gemm.PANEL;
    }

    /** Panels of this matrix. */
    int count() {
        return count(width);
    }

    /** Floats per row of panel p. */
    int panelWidth(int p) {
        return Math.min(Gemm.PANEL, width - p * Gemm.PANEL);
    }

    /** Index of the view's row 0 in panel p. */
    int panelStart(int p) {
        return offset + p * rows * Gemm.PANEL + firstRow * panelWidth(p);
    }

    /** Index of element [r, c] of the view. */
    int index(int r, int c) {
        int p = c / Gemm.PANEL;
        return panelStart(p) + r * panelWidth(p) + c % Gemm.PANEL;
    }

    /** The same data from the view's row {@code r} on. */
    Panels rowsFrom(int r) {
        return new Panels(data, offset, rows, width, firstRow + r);
    }
}
