package io.microgpt.simd;

/**
 * One thread's share of a weight-gradient product dw (+)= dy^T x (of y = x w^T): the outputs [o0, o1), as a
 * view of dy from column o0 and a view of dw from row o0, so that {@link Gemm#outerProducts} computes
 * only those rows of dw. Each element of dw is summed over the rows in the same order whichever thread owns
 * it. Created once per configuration (buffers and thread count), never per step.
 *
 * @param dy      dL/dy from column o0 on
 * @param dw      dL/dw from row o0 on
 * @param outputs o1 - o0 (0 when the thread has none)
 */
record ProductShare(Matrix dy, Panels dw, int outputs) {

    /**
     * Thread t's share of the {@code outputs} rows of dw among {@code threads}, in
     * runs of whole register blocks ({@link #outputBlock}): each thread's blocks are those one thread would run,
     * but for the last share's remainder, so that no share ends in single rows that a whole product would have
     * done in a block.
     */
    static ProductShare of(Matrix dy, Panels dw, int outputs, int t, int threads) {
        int unit = outputBlock(dw.width());
        int o0 = Split.boundary(outputs, t, threads, unit);
        int o1 = Split.boundary(outputs, t + 1, threads, unit);
        return new ProductShare(new Matrix(dy.data(), dy.offset() + o0, dy.stride()), dw.rowsFrom(o0), o1 - o0);
    }

    /**
     * Outputs per register block of {@link Gemm#outerProducts} into a dw of this width: 6 when it runs its wide
     * blocks (6 outputs x a whole panel), else 4.
     */
    static int outputBlock(int width) {
        return Gemm.FOUR_BY_FOUR && width >= Gemm.PANEL ? 6 : 4;
    }
}
