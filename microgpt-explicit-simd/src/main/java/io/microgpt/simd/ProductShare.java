package io.microgpt.simd;

/**
 * One thread's share of a weight-gradient product dw (+)= dy^T x (of y = x w^T): the outputs [o0, o1), as a
 * view of dy from column o0 and a view of dw from row o0, so that {@link VectorKernels#outerProducts} computes
 * only those rows of dw. Each element of dw is summed over the rows in the same order whichever thread owns
 * it. Created once per configuration (buffers and thread count), never per step.
 *
 * @param dy      dL/dy from column o0 on
 * @param dw      dL/dw from row o0 on
 * @param outputs o1 - o0 (0 when the thread has none)
 */
record ProductShare(Matrix dy, Matrix dw, int outputs) {

    /** Thread t's share of the {@code outputs} rows of dw among {@code threads}, in runs of whole 4-row blocks. */
    static ProductShare of(Matrix dy, Matrix dw, int outputs, int t, int threads) {
        int o0 = Split.boundary(outputs, t, threads, 4);
        int o1 = Split.boundary(outputs, t + 1, threads, 4);
        return new ProductShare(new Matrix(dy.data(), dy.offset() + o0, dy.stride()), dw.rowsFrom(o0), o1 - o0);
    }
}
