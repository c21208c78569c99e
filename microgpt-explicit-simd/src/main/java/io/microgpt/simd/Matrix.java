package io.microgpt.simd;

/**
 * A row-major view into a float array: row {@code r} starts at {@code offset + r * stride}. Strides are
 * whole numbers of vectors (see {@link VectorKernels#padded}), and the lanes past a row's real width hold 0.
 *
 * @param data   the array
 * @param offset index of element [0, 0]
 * @param stride distance between rows
 */
record Matrix(float[] data, int offset, int stride) {

    /** Index of element [row, 0]. */
    int row(int r) {
        return offset + r * stride;
    }

    /** The same data from row {@code r} on. */
    Matrix rowsFrom(int r) {
        return new Matrix(data, row(r), stride);
    }
}
