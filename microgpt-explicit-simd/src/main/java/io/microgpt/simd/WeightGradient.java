package io.microgpt.simd;

/**
 * The weight gradient of one projection y = x W^T over the outputs [o0, o1): dL/dW[o0..o1) (+)= dL/dy[:, o0..o1)^T x,
 * each part of the batch's rows ({@link RowParts}) summed in registers and then added, in part order (a part that
 * does not add writes). Every element is summed in the same order whatever range of outputs a call computes, so a
 * projection's gradient may be computed whole or range by range with the same bits.
 *
 * @param dy      dL/dy from column o0 on
 * @param dw      dL/dW from row o0 on
 * @param outputs o1 - o0 (0: nothing to compute)
 * @param parts   the parts of the rows (read when {@link #add} runs: the caller sets them per chunk)
 */
record WeightGradient(Matrix dy, Panels dw, int outputs, RowParts parts) {

    /** dw (+)= dy^T x over every part, in order. */
    void add(Matrix x) {
        if (outputs == 0) return;
        for (int i = 0; i < parts.count; i++) {
            Gemm.outerProducts(dy, parts.start[i], parts.start[i + 1], outputs, x, dw, parts.adds(i));
        }
    }

    /**
     * Share t of {@code shares} of the outputs of dw (dL/dy in dy), in runs of whole register blocks
     * ({@link #outputBlock}): each share's blocks are those a whole product would run, but for the last share's
     * remainder.
     */
    static WeightGradient of(Matrix dy, Panels dw, int outputs, RowParts parts, int t, int shares) {
        int unit = outputBlock(dw.width());
        int o0 = Shares.start(outputs, t, shares, unit);
        int o1 = Shares.start(outputs, t + 1, shares, unit);
        return new WeightGradient(new Matrix(dy.data(), dy.offset() + o0, dy.stride()), dw.rowsFrom(o0), o1 - o0, parts);
    }

    /**
     * Outputs per register block of {@link Gemm#outerProducts} into a dw of this width: 6 when it runs its wide
     * blocks (6 outputs x a whole panel), else 4.
     */
    static int outputBlock(int width) {
        return Gemm.FOUR_BY_FOUR && width >= Gemm.PANEL ? 6 : 4;
    }
}
