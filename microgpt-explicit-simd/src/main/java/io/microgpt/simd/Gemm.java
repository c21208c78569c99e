package io.microgpt.simd;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The three matrix products of every linear layer y = x W^T (W [outputs x inputs]): {@link #multiply} computes
 * y = x W^T forward (b = W^T) and dL/dx = dL/dy W backward (b = W), {@link #outerProducts} the weight gradient
 * dL/dW (+)= dL/dy^T x. Activations are row-major {@link Matrix} views; the weights, their transposed copy and the
 * gradient are {@link Panels}, columns in panels of {@link #PANEL} floats, so that a product streams each panel of
 * its weight operand contiguously (from L2, with every index a constant step from the last; one copy for each
 * direction, refreshed once per step: {@link SimdWeights}). Widths are whole numbers of vectors, padding lanes 0.
 *
 * <p>Both products are register-blocked: the panel's 4 vectors of b (or of x) against 6 rows of a (or 6 outputs of
 * dy), 24 accumulators, each loaded vector serving 6 fused multiply-adds and each broadcast scalar 4; the rows or
 * outputs that do not fill a block of 6 go in blocks of 4, then singly. The blocks only change which registers hold
 * a sum, never the order of its terms: each output of {@code multiply} is one fma chain over k ascending (from the
 * residual for {@link Epilogue#ADD}), each element of {@code outerProducts} one fma chain over the rows ascending,
 * then written or added to dw once, the bits of {@link #multiplyPlain} and {@link #outerProductsPlain}, the readable
 * oracles beside them. Narrow panels (the last of a width that is not a whole number of panels, or every panel
 * without {@link #FOUR_BY_FOUR}) go in blocks of 4 rows x 2 vectors and 8 rows x 1 vector. Why these blocks and
 * layouts, and what they measured: docs/bench-log.md (2026-12-01, 2026-12-06).
 */
final class Gemm {
    /**
     * Whether the products use their wide blocks (6 x 4 and 4 x 4 vectors: 16 to 24 accumulators, which fit the 32
     * vector registers of AVX-512 but would spill from the 16 of AVX2). By default on at 512 bits; the system property
     * {@code microgpt.simd.blocks4x4} ({@code true} or {@code false}) forces it on or off (to test both variants at
     * every width). The choice never changes a result.
     */
    static final boolean FOUR_BY_FOUR = fourByFour(System.getProperty("microgpt.simd.blocks4x4"));
    /** Vectors per panel: 4 with the wide blocks, else 2. */
    static final int PANEL_VECTORS = FOUR_BY_FOUR ? 4 : 2;
    /** Floats per panel. */
    static final int PANEL = PANEL_VECTORS * LANES;
    /**
     * Depth of the blocks in which {@link #multiply}'s 6 x 4 blocks walk b (the sums carried through {@code out}
     * between blocks, the same bits): by default no product of the model up to n_embd 512 is cut (L1-sized blocks
     * measured slower than one pass from L2). The system property {@code microgpt.simd.depthBlock} sets it (the
     * build's tests force a small one, to cover the carry).
     */
    static final int DEPTH_BLOCK = Integer.getInteger("microgpt.simd.depthBlock", 2048);

    /** What {@link #multiply} does with each product before storing it. */
    enum Epilogue {
        /** out = product. */
        STORE,
        /** out = extra + product (a residual; extra may be out itself). */
        ADD,
        /** out = max(product, 0). */
        RELU,
        /** out = product where extra &gt; 0, else 0 (the ReLU's gradient gate). */
        GATE
    }

    private Gemm() {
    }

    private static boolean fourByFour(String forced) {
        if (forced == null || forced.isEmpty()) return SPECIES.vectorBitSize() >= 512;
        if (forced.equals("true") || forced.equals("false")) return Boolean.parseBoolean(forced);
        throw new IllegalArgumentException("-Dmicrogpt.simd.blocks4x4=" + forced + ": use true, false, or leave it unset");
    }

    /**
     * Rows (or outputs) of n that go in blocks of 6: all whole blocks, but one fewer where that leaves 8 or 9 (two
     * blocks of 4 then, and at most one single row).
     */
    static int blocksOfSix(int n) {
        int blocks = n / 6;
        int rest = n % 6;
        return blocks > 0 && (rest == 2 || rest == 3) ? blocks - 1 : blocks;
    }

    /**
     * out[r, :] = epilogue(sum_k a[r, k] b[k, :]) for rows r in [from, to): a is [rows x depth] (only its first
     * depth columns are read), b [depth x width] in panels; {@code extra} is read by ADD and GATE only. Each output
     * is one fused multiply-add chain over k ascending, from extra[r, c] for ADD, from 0 otherwise.
     */
    static void multiply(Matrix a, int from, int to, int depth, Panels b, Matrix out, Epilogue epilogue, Matrix extra) {
        for (int p = 0; p < b.count(); p++) {
            int c = p * PANEL;
            int pw = b.panelWidth(p);
            if (FOUR_BY_FOUR && pw == PANEL) {
                multiplyWidePanel(a, from, to, depth, b.data(), b.panelStart(p), c, out, epilogue, extra);
            } else {
                multiplyNarrowPanel(a, from, to, depth, b.data(), b.panelStart(p), pw, c, out, epilogue, extra);
            }
        }
    }

    /** The readable oracle of {@link #multiply} (same bits): out[r, c] = epilogue(fma chain over k ascending). */
    static void multiplyPlain(Matrix a, int from, int to, int depth, Panels b, Matrix out, Epilogue epilogue, Matrix extra) {
        float[] bv = b.data();
        for (int r = from; r < to; r++) {
            for (int c = 0; c < b.width(); c++) {
                float s = epilogue == Epilogue.ADD ? extra.data()[extra.row(r) + c] : 0f;
                for (int k = 0; k < depth; k++) s = Math.fma(a.data()[a.row(r) + k], bv[b.index(k, c)], s);
                if (epilogue == Epilogue.RELU) s = Math.max(s, 0f);
                if (epilogue == Epilogue.GATE && !(extra.data()[extra.row(r) + c] > 0)) s = 0f;
                out.data()[out.row(r) + c] = s;
            }
        }
    }

    /**
     * {@link #multiply} for one whole panel (columns [c, c + PANEL), b's rows from index b0, PANEL apart): rows in
     * blocks of 6 with the depth in blocks of {@link #DEPTH_BLOCK} (the running sums wait in out between them; RELU
     * and GATE after the last), the rest in blocks of 4, then singly.
     */
    private static void multiplyWidePanel(Matrix a, int from, int to, int depth, float[] bv, int b0, int c, Matrix out,
                                          Epilogue epilogue, Matrix extra) {
        float[] av = a.data();
        float[] ov = out.data();
        int as = a.stride();
        int os = out.stride();
        boolean after = epilogue == Epilogue.RELU || epilogue == Epilogue.GATE;
        boolean add = epilogue == Epilogue.ADD;
        float[] ev = add ? extra.data() : null;
        int es = add ? extra.stride() : 0;
        int sixEnd = from + 6 * blocksOfSix(to - from);
        for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
            int k1 = Math.min(depth, k0 + DEPTH_BLOCK);
            boolean carry = k0 > 0;
            boolean finish = k1 == depth && after;
            for (int r = from; r < sixEnd; r += 6) {
                int oi = out.row(r) + c;
                if (carry) sixByFour(av, a.row(r), as, k0, k1, bv, b0, ov, oi, os, ov, oi, os);
                else sixByFour(av, a.row(r), as, k0, k1, bv, b0, ov, oi, os, ev, add ? extra.row(r) + c : 0, es);
                if (finish) finish(out, r, r + 6, c, PANEL_VECTORS, epilogue, extra);
            }
        }
        int r = sixEnd;
        for (; r + 4 <= to; r += 4) {
            fourByFour(av, a.row(r), as, 0, depth, bv, b0, ov, out.row(r) + c, os, ev, add ? extra.row(r) + c : 0, es);
            if (after) finish(out, r, r + 4, c, PANEL_VECTORS, epilogue, extra);
        }
        for (; r < to; r++) {
            oneByFour(av, a.row(r), as, 0, depth, bv, b0, ov, out.row(r) + c, os, ev, add ? extra.row(r) + c : 0, es);
            if (after) finish(out, r, r + 1, c, PANEL_VECTORS, epilogue, extra);
        }
    }

    /**
     * {@link #multiply} for a panel of {@code pw} floats (columns [c, c + pw), b's rows from index b0, pw apart): two
     * vectors at a time in blocks of 4 rows (then singly), the last vector in blocks of 8 rows, then 4, then singly.
     */
    private static void multiplyNarrowPanel(Matrix a, int from, int to, int depth, float[] bv, int b0, int pw, int c,
                                            Matrix out, Epilogue epilogue, Matrix extra) {
        float[] av = a.data();
        float[] ov = out.data();
        int as = a.stride();
        int os = out.stride();
        boolean after = epilogue == Epilogue.RELU || epilogue == Epilogue.GATE;
        boolean add = epilogue == Epilogue.ADD;
        float[] ev = add ? extra.data() : null;
        int es = add ? extra.stride() : 0;
        int j = 0;
        for (; j + 2 * LANES <= pw; j += 2 * LANES) {
            int cj = c + j;
            int r = from;
            for (; r + 4 <= to; r += 4) {
                fourByTwo(av, a.row(r), as, 0, depth, bv, b0 + j, pw, ov, out.row(r) + cj, os, ev, add ? extra.row(r) + cj : 0, es);
                if (after) finish(out, r, r + 4, cj, 2, epilogue, extra);
            }
            for (; r < to; r++) {
                oneByTwo(av, a.row(r), as, 0, depth, bv, b0 + j, pw, ov, out.row(r) + cj, os, ev, add ? extra.row(r) + cj : 0, es);
                if (after) finish(out, r, r + 1, cj, 2, epilogue, extra);
            }
        }
        for (; j < pw; j += LANES) {
            int cj = c + j;
            int r = from;
            for (; r + 8 <= to; r += 8) {
                eightByOne(av, a.row(r), as, 0, depth, bv, b0 + j, pw, ov, out.row(r) + cj, os, ev, add ? extra.row(r) + cj : 0, es);
                if (after) finish(out, r, r + 8, cj, 1, epilogue, extra);
            }
            for (; r + 4 <= to; r += 4) {
                fourByOne(av, a.row(r), as, 0, depth, bv, b0 + j, pw, ov, out.row(r) + cj, os, ev, add ? extra.row(r) + cj : 0, es);
                if (after) finish(out, r, r + 4, cj, 1, epilogue, extra);
            }
            for (; r < to; r++) {
                oneByOne(av, a.row(r), as, 0, depth, bv, b0 + j, pw, ov, out.row(r) + cj, os, ev, add ? extra.row(r) + cj : 0, es);
                if (after) finish(out, r, r + 1, cj, 1, epilogue, extra);
            }
        }
    }

    /**
     * Applies a RELU or GATE epilogue to the block just stored, out[from..to, c..c + vectors * LANES), while it is
     * in L1. (Applying it to the accumulators instead would pass vectors to a call too large to inline, and boxed
     * vectors allocate.)
     */
    private static void finish(Matrix out, int from, int to, int c, int vectors, Epilogue epilogue, Matrix extra) {
        float[] ov = out.data();
        for (int r = from; r < to; r++) {
            for (int j = 0; j < vectors; j++) {
                int oi = out.row(r) + c + j * LANES;
                FloatVector v = FloatVector.fromArray(SPECIES, ov, oi);
                if (epilogue == Epilogue.RELU) {
                    v = v.max(0f);
                } else {
                    FloatVector x = FloatVector.fromArray(SPECIES, extra.data(), extra.row(r) + c + j * LANES);
                    v = FloatVector.zero(SPECIES).blend(v, x.compare(VectorOperators.GT, 0f));
                }
                v.intoArray(ov, oi);
            }
        }
    }

    /**
     * dw[o, :] (+)= sum_r dy[r, o] x[r, :] for outputs o in [0, outputs) and rows r in [from, to): the weight gradient
     * of y = x w^T, each element summed over the rows in registers (ascending) and then added to dw once when
     * {@code accumulate}, else written over it. x is [rows x width], dw [outputs x width] in panels (a view from the
     * share's first output), dy's column o is output o.
     */
    static void outerProducts(Matrix dy, int from, int to, int outputs, Matrix x, Panels dw, boolean accumulate) {
        for (int p = 0; p < dw.count(); p++) {
            int c = p * PANEL;
            int pw = dw.panelWidth(p);
            if (FOUR_BY_FOUR && pw == PANEL) {
                outerWidePanel(dy, from, to, outputs, x, c, dw.data(), dw.panelStart(p), accumulate);
            } else {
                outerNarrowPanel(dy, from, to, outputs, x, c, dw.data(), dw.panelStart(p), pw, accumulate);
            }
        }
    }

    /** The readable oracle of {@link #outerProducts} (same bits): an fma chain over the rows, then written or added. */
    static void outerProductsPlain(Matrix dy, int from, int to, int outputs, Matrix x, Panels dw, boolean accumulate) {
        float[] dv = dw.data();
        for (int o = 0; o < outputs; o++) {
            for (int c = 0; c < dw.width(); c++) {
                float s = 0f;
                for (int r = from; r < to; r++) s = Math.fma(x.data()[x.row(r) + c], dy.data()[dy.row(r) + o], s);
                int d = dw.index(o, c);
                dv[d] = accumulate ? s + dv[d] : s;
            }
        }
    }

    /**
     * {@link #outerProducts} for one whole panel (x's columns [c, c + PANEL), dw's rows from index d0, PANEL apart):
     * outputs in blocks of 6, the rest in blocks of 4, then singly; each block sums over all rows while the panel's
     * strip of x (rows x 4 vectors) stays in cache.
     */
    private static void outerWidePanel(Matrix dy, int from, int to, int outputs, Matrix x, int c, float[] dv, int d0,
                                       boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
        int rows = to - from;
        int y0 = dy.row(from);
        int x0 = x.row(from) + c;
        int sixEnd = 6 * blocksOfSix(outputs);
        int o = 0;
        for (; o < sixEnd; o += 6) outerSixByFour(yv, y0 + o, ys, rows, xv, x0, xs, dv, d0 + o * PANEL, add);
        for (; o + 4 <= outputs; o += 4) outerFourByFour(yv, y0 + o, ys, rows, xv, x0, xs, dv, d0 + o * PANEL, add);
        for (; o < outputs; o++) outerOneByFour(yv, y0 + o, ys, rows, xv, x0, xs, dv, d0 + o * PANEL, add);
    }

    /**
     * {@link #outerProducts} for a panel of {@code pw} floats (x's columns [c, c + pw), dw's rows pw apart from d0):
     * two vectors at a time in blocks of 4 outputs, then the last vector in blocks of 4 outputs, then the outputs
     * left over one vector at a time.
     */
    private static void outerNarrowPanel(Matrix dy, int from, int to, int outputs, Matrix x, int c, float[] dv, int d0,
                                         int pw, boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
        int rows = to - from;
        int y0 = dy.row(from);
        int x0 = x.row(from) + c;
        int whole = outputs / 4 * 4;
        int j = 0;
        for (; j + 2 * LANES <= pw; j += 2 * LANES) {
            for (int o = 0; o < whole; o += 4) outerFourByTwo(yv, y0 + o, ys, rows, xv, x0 + j, xs, dv, d0 + o * pw + j, pw, add);
        }
        for (; j < pw; j += LANES) {
            for (int o = 0; o < whole; o += 4) outerFourByOne(yv, y0 + o, ys, rows, xv, x0 + j, xs, dv, d0 + o * pw + j, pw, add);
        }
        for (int o = whole; o < outputs; o++) {
            for (j = 0; j < pw; j += LANES) outerOneByOne(yv, y0 + o, ys, rows, xv, x0 + j, xs, dv, d0 + o * pw + j, pw, add);
        }
    }

    /** out[6 rows, 4 vectors] = start (0 if sv is null) + sum over k in [k0, k1) of a[row, k] b[k, 4 vectors]: 24 accumulators; b a whole panel. */
    private static void sixByFour(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        FloatVector s40 = s00;
        FloatVector s41 = s00;
        FloatVector s42 = s00;
        FloatVector s43 = s00;
        FloatVector s50 = s00;
        FloatVector s51 = s00;
        FloatVector s52 = s00;
        FloatVector s53 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s01 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 1 * LANES);
            s02 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 2 * LANES);
            s03 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 3 * LANES);
            s10 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 0 * LANES);
            s11 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 1 * LANES);
            s12 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 2 * LANES);
            s13 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 3 * LANES);
            s20 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 0 * LANES);
            s21 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 1 * LANES);
            s22 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 2 * LANES);
            s23 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 3 * LANES);
            s30 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 0 * LANES);
            s31 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 1 * LANES);
            s32 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 2 * LANES);
            s33 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 3 * LANES);
            s40 = FloatVector.fromArray(SPECIES, sv, s0 + 4 * ss + 0 * LANES);
            s41 = FloatVector.fromArray(SPECIES, sv, s0 + 4 * ss + 1 * LANES);
            s42 = FloatVector.fromArray(SPECIES, sv, s0 + 4 * ss + 2 * LANES);
            s43 = FloatVector.fromArray(SPECIES, sv, s0 + 4 * ss + 3 * LANES);
            s50 = FloatVector.fromArray(SPECIES, sv, s0 + 5 * ss + 0 * LANES);
            s51 = FloatVector.fromArray(SPECIES, sv, s0 + 5 * ss + 1 * LANES);
            s52 = FloatVector.fromArray(SPECIES, sv, s0 + 5 * ss + 2 * LANES);
            s53 = FloatVector.fromArray(SPECIES, sv, s0 + 5 * ss + 3 * LANES);
        }
        int a0k = a0;
        int a1k = a0 + 1 * as;
        int a2k = a0 + 2 * as;
        int a3k = a0 + 3 * as;
        int a4k = a0 + 4 * as;
        int a5k = a0 + 5 * as;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * PANEL;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bv, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bv, bi + 3 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = FloatVector.broadcast(SPECIES, av[a1k + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = FloatVector.broadcast(SPECIES, av[a2k + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = FloatVector.broadcast(SPECIES, av[a3k + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
            x = FloatVector.broadcast(SPECIES, av[a4k + k]);
            s40 = b0.fma(x, s40);
            s41 = b1.fma(x, s41);
            s42 = b2.fma(x, s42);
            s43 = b3.fma(x, s43);
            x = FloatVector.broadcast(SPECIES, av[a5k + k]);
            s50 = b0.fma(x, s50);
            s51 = b1.fma(x, s51);
            s52 = b2.fma(x, s52);
            s53 = b3.fma(x, s53);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s01.intoArray(ov, o0 + 0 * os + 1 * LANES);
        s02.intoArray(ov, o0 + 0 * os + 2 * LANES);
        s03.intoArray(ov, o0 + 0 * os + 3 * LANES);
        s10.intoArray(ov, o0 + 1 * os + 0 * LANES);
        s11.intoArray(ov, o0 + 1 * os + 1 * LANES);
        s12.intoArray(ov, o0 + 1 * os + 2 * LANES);
        s13.intoArray(ov, o0 + 1 * os + 3 * LANES);
        s20.intoArray(ov, o0 + 2 * os + 0 * LANES);
        s21.intoArray(ov, o0 + 2 * os + 1 * LANES);
        s22.intoArray(ov, o0 + 2 * os + 2 * LANES);
        s23.intoArray(ov, o0 + 2 * os + 3 * LANES);
        s30.intoArray(ov, o0 + 3 * os + 0 * LANES);
        s31.intoArray(ov, o0 + 3 * os + 1 * LANES);
        s32.intoArray(ov, o0 + 3 * os + 2 * LANES);
        s33.intoArray(ov, o0 + 3 * os + 3 * LANES);
        s40.intoArray(ov, o0 + 4 * os + 0 * LANES);
        s41.intoArray(ov, o0 + 4 * os + 1 * LANES);
        s42.intoArray(ov, o0 + 4 * os + 2 * LANES);
        s43.intoArray(ov, o0 + 4 * os + 3 * LANES);
        s50.intoArray(ov, o0 + 5 * os + 0 * LANES);
        s51.intoArray(ov, o0 + 5 * os + 1 * LANES);
        s52.intoArray(ov, o0 + 5 * os + 2 * LANES);
        s53.intoArray(ov, o0 + 5 * os + 3 * LANES);
    }

    /** {@link #sixByFour} for 4 rows: 16 accumulators. */
    private static void fourByFour(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s01 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 1 * LANES);
            s02 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 2 * LANES);
            s03 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 3 * LANES);
            s10 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 0 * LANES);
            s11 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 1 * LANES);
            s12 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 2 * LANES);
            s13 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 3 * LANES);
            s20 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 0 * LANES);
            s21 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 1 * LANES);
            s22 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 2 * LANES);
            s23 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 3 * LANES);
            s30 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 0 * LANES);
            s31 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 1 * LANES);
            s32 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 2 * LANES);
            s33 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 3 * LANES);
        }
        int a0k = a0;
        int a1k = a0 + 1 * as;
        int a2k = a0 + 2 * as;
        int a3k = a0 + 3 * as;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * PANEL;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bv, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bv, bi + 3 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = FloatVector.broadcast(SPECIES, av[a1k + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = FloatVector.broadcast(SPECIES, av[a2k + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = FloatVector.broadcast(SPECIES, av[a3k + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s01.intoArray(ov, o0 + 0 * os + 1 * LANES);
        s02.intoArray(ov, o0 + 0 * os + 2 * LANES);
        s03.intoArray(ov, o0 + 0 * os + 3 * LANES);
        s10.intoArray(ov, o0 + 1 * os + 0 * LANES);
        s11.intoArray(ov, o0 + 1 * os + 1 * LANES);
        s12.intoArray(ov, o0 + 1 * os + 2 * LANES);
        s13.intoArray(ov, o0 + 1 * os + 3 * LANES);
        s20.intoArray(ov, o0 + 2 * os + 0 * LANES);
        s21.intoArray(ov, o0 + 2 * os + 1 * LANES);
        s22.intoArray(ov, o0 + 2 * os + 2 * LANES);
        s23.intoArray(ov, o0 + 2 * os + 3 * LANES);
        s30.intoArray(ov, o0 + 3 * os + 0 * LANES);
        s31.intoArray(ov, o0 + 3 * os + 1 * LANES);
        s32.intoArray(ov, o0 + 3 * os + 2 * LANES);
        s33.intoArray(ov, o0 + 3 * os + 3 * LANES);
    }

    /** {@link #sixByFour} for one row: 4 accumulators. */
    private static void oneByFour(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s01 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 1 * LANES);
            s02 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 2 * LANES);
            s03 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 3 * LANES);
        }
        int a0k = a0;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * PANEL;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bv, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bv, bi + 3 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s01.intoArray(ov, o0 + 0 * os + 1 * LANES);
        s02.intoArray(ov, o0 + 0 * os + 2 * LANES);
        s03.intoArray(ov, o0 + 0 * os + 3 * LANES);
    }

    /** out[4 rows, 2 vectors] = start + sum over k of a[row, k] b[k, 2 vectors], b's rows {@code bs} apart: 8 accumulators. */
    private static void fourByTwo(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, int bs, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s01 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 1 * LANES);
            s10 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 0 * LANES);
            s11 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 1 * LANES);
            s20 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 0 * LANES);
            s21 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 1 * LANES);
            s30 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 0 * LANES);
            s31 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 1 * LANES);
        }
        int a0k = a0;
        int a1k = a0 + 1 * as;
        int a2k = a0 + 2 * as;
        int a3k = a0 + 3 * as;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            x = FloatVector.broadcast(SPECIES, av[a1k + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            x = FloatVector.broadcast(SPECIES, av[a2k + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            x = FloatVector.broadcast(SPECIES, av[a3k + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s01.intoArray(ov, o0 + 0 * os + 1 * LANES);
        s10.intoArray(ov, o0 + 1 * os + 0 * LANES);
        s11.intoArray(ov, o0 + 1 * os + 1 * LANES);
        s20.intoArray(ov, o0 + 2 * os + 0 * LANES);
        s21.intoArray(ov, o0 + 2 * os + 1 * LANES);
        s30.intoArray(ov, o0 + 3 * os + 0 * LANES);
        s31.intoArray(ov, o0 + 3 * os + 1 * LANES);
    }

    /** {@link #fourByTwo} for one row. */
    private static void oneByTwo(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, int bs, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s01 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 1 * LANES);
        }
        int a0k = a0;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s01.intoArray(ov, o0 + 0 * os + 1 * LANES);
    }

    /** out[8 rows, 1 vector] = start + sum over k of a[row, k] b[k, 1 vector], b's rows {@code bs} apart: 8 independent sums. */
    private static void eightByOne(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, int bs, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s10 = s00;
        FloatVector s20 = s00;
        FloatVector s30 = s00;
        FloatVector s40 = s00;
        FloatVector s50 = s00;
        FloatVector s60 = s00;
        FloatVector s70 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s10 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 0 * LANES);
            s20 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 0 * LANES);
            s30 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 0 * LANES);
            s40 = FloatVector.fromArray(SPECIES, sv, s0 + 4 * ss + 0 * LANES);
            s50 = FloatVector.fromArray(SPECIES, sv, s0 + 5 * ss + 0 * LANES);
            s60 = FloatVector.fromArray(SPECIES, sv, s0 + 6 * ss + 0 * LANES);
            s70 = FloatVector.fromArray(SPECIES, sv, s0 + 7 * ss + 0 * LANES);
        }
        int a0k = a0;
        int a1k = a0 + 1 * as;
        int a2k = a0 + 2 * as;
        int a3k = a0 + 3 * as;
        int a4k = a0 + 4 * as;
        int a5k = a0 + 5 * as;
        int a6k = a0 + 6 * as;
        int a7k = a0 + 7 * as;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            x = FloatVector.broadcast(SPECIES, av[a1k + k]);
            s10 = b0.fma(x, s10);
            x = FloatVector.broadcast(SPECIES, av[a2k + k]);
            s20 = b0.fma(x, s20);
            x = FloatVector.broadcast(SPECIES, av[a3k + k]);
            s30 = b0.fma(x, s30);
            x = FloatVector.broadcast(SPECIES, av[a4k + k]);
            s40 = b0.fma(x, s40);
            x = FloatVector.broadcast(SPECIES, av[a5k + k]);
            s50 = b0.fma(x, s50);
            x = FloatVector.broadcast(SPECIES, av[a6k + k]);
            s60 = b0.fma(x, s60);
            x = FloatVector.broadcast(SPECIES, av[a7k + k]);
            s70 = b0.fma(x, s70);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s10.intoArray(ov, o0 + 1 * os + 0 * LANES);
        s20.intoArray(ov, o0 + 2 * os + 0 * LANES);
        s30.intoArray(ov, o0 + 3 * os + 0 * LANES);
        s40.intoArray(ov, o0 + 4 * os + 0 * LANES);
        s50.intoArray(ov, o0 + 5 * os + 0 * LANES);
        s60.intoArray(ov, o0 + 6 * os + 0 * LANES);
        s70.intoArray(ov, o0 + 7 * os + 0 * LANES);
    }

    /** {@link #eightByOne} for 4 rows. */
    private static void fourByOne(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, int bs, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s10 = s00;
        FloatVector s20 = s00;
        FloatVector s30 = s00;
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
            s10 = FloatVector.fromArray(SPECIES, sv, s0 + 1 * ss + 0 * LANES);
            s20 = FloatVector.fromArray(SPECIES, sv, s0 + 2 * ss + 0 * LANES);
            s30 = FloatVector.fromArray(SPECIES, sv, s0 + 3 * ss + 0 * LANES);
        }
        int a0k = a0;
        int a1k = a0 + 1 * as;
        int a2k = a0 + 2 * as;
        int a3k = a0 + 3 * as;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
            x = FloatVector.broadcast(SPECIES, av[a1k + k]);
            s10 = b0.fma(x, s10);
            x = FloatVector.broadcast(SPECIES, av[a2k + k]);
            s20 = b0.fma(x, s20);
            x = FloatVector.broadcast(SPECIES, av[a3k + k]);
            s30 = b0.fma(x, s30);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
        s10.intoArray(ov, o0 + 1 * os + 0 * LANES);
        s20.intoArray(ov, o0 + 2 * os + 0 * LANES);
        s30.intoArray(ov, o0 + 3 * os + 0 * LANES);
    }

    /** {@link #eightByOne} for one row. */
    private static void oneByOne(float[] av, int a0, int as, int k0, int k1, float[] bv, int bStart, int bs, float[] ov, int o0, int os, float[] sv, int s0, int ss) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        if (sv != null) {
            s00 = FloatVector.fromArray(SPECIES, sv, s0 + 0 * ss + 0 * LANES);
        }
        int a0k = a0;
        for (int k = k0; k < k1; k++) {
            int bi = bStart + k * bs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0k + k]);
            s00 = b0.fma(x, s00);
        }
        s00.intoArray(ov, o0 + 0 * os + 0 * LANES);
    }

    /** dw[6 outputs, 4 vectors] (+)= sum over the rows of dy[r, output] x[r, 4 vectors]: 24 accumulators; dw a whole panel. */
    private static void outerSixByFour(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        FloatVector s40 = s00;
        FloatVector s41 = s00;
        FloatVector s42 = s00;
        FloatVector s43 = s00;
        FloatVector s50 = s00;
        FloatVector s51 = s00;
        FloatVector s52 = s00;
        FloatVector s53 = s00;
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xv, xi + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xv, xi + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xv, xi + 3 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
            s01 = x1.fma(g, s01);
            s02 = x2.fma(g, s02);
            s03 = x3.fma(g, s03);
            g = FloatVector.broadcast(SPECIES, yv[yi + 1]);
            s10 = x0.fma(g, s10);
            s11 = x1.fma(g, s11);
            s12 = x2.fma(g, s12);
            s13 = x3.fma(g, s13);
            g = FloatVector.broadcast(SPECIES, yv[yi + 2]);
            s20 = x0.fma(g, s20);
            s21 = x1.fma(g, s21);
            s22 = x2.fma(g, s22);
            s23 = x3.fma(g, s23);
            g = FloatVector.broadcast(SPECIES, yv[yi + 3]);
            s30 = x0.fma(g, s30);
            s31 = x1.fma(g, s31);
            s32 = x2.fma(g, s32);
            s33 = x3.fma(g, s33);
            g = FloatVector.broadcast(SPECIES, yv[yi + 4]);
            s40 = x0.fma(g, s40);
            s41 = x1.fma(g, s41);
            s42 = x2.fma(g, s42);
            s43 = x3.fma(g, s43);
            g = FloatVector.broadcast(SPECIES, yv[yi + 5]);
            s50 = x0.fma(g, s50);
            s51 = x1.fma(g, s51);
            s52 = x2.fma(g, s52);
            s53 = x3.fma(g, s53);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * PANEL + 0 * LANES);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 1 * LANES)) : s01).intoArray(dv, d0 + 0 * PANEL + 1 * LANES);
        (add ? s02.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 2 * LANES)) : s02).intoArray(dv, d0 + 0 * PANEL + 2 * LANES);
        (add ? s03.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 3 * LANES)) : s03).intoArray(dv, d0 + 0 * PANEL + 3 * LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 0 * LANES)) : s10).intoArray(dv, d0 + 1 * PANEL + 0 * LANES);
        (add ? s11.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 1 * LANES)) : s11).intoArray(dv, d0 + 1 * PANEL + 1 * LANES);
        (add ? s12.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 2 * LANES)) : s12).intoArray(dv, d0 + 1 * PANEL + 2 * LANES);
        (add ? s13.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 3 * LANES)) : s13).intoArray(dv, d0 + 1 * PANEL + 3 * LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 0 * LANES)) : s20).intoArray(dv, d0 + 2 * PANEL + 0 * LANES);
        (add ? s21.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 1 * LANES)) : s21).intoArray(dv, d0 + 2 * PANEL + 1 * LANES);
        (add ? s22.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 2 * LANES)) : s22).intoArray(dv, d0 + 2 * PANEL + 2 * LANES);
        (add ? s23.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 3 * LANES)) : s23).intoArray(dv, d0 + 2 * PANEL + 3 * LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 0 * LANES)) : s30).intoArray(dv, d0 + 3 * PANEL + 0 * LANES);
        (add ? s31.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 1 * LANES)) : s31).intoArray(dv, d0 + 3 * PANEL + 1 * LANES);
        (add ? s32.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 2 * LANES)) : s32).intoArray(dv, d0 + 3 * PANEL + 2 * LANES);
        (add ? s33.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 3 * LANES)) : s33).intoArray(dv, d0 + 3 * PANEL + 3 * LANES);
        (add ? s40.add(FloatVector.fromArray(SPECIES, dv, d0 + 4 * PANEL + 0 * LANES)) : s40).intoArray(dv, d0 + 4 * PANEL + 0 * LANES);
        (add ? s41.add(FloatVector.fromArray(SPECIES, dv, d0 + 4 * PANEL + 1 * LANES)) : s41).intoArray(dv, d0 + 4 * PANEL + 1 * LANES);
        (add ? s42.add(FloatVector.fromArray(SPECIES, dv, d0 + 4 * PANEL + 2 * LANES)) : s42).intoArray(dv, d0 + 4 * PANEL + 2 * LANES);
        (add ? s43.add(FloatVector.fromArray(SPECIES, dv, d0 + 4 * PANEL + 3 * LANES)) : s43).intoArray(dv, d0 + 4 * PANEL + 3 * LANES);
        (add ? s50.add(FloatVector.fromArray(SPECIES, dv, d0 + 5 * PANEL + 0 * LANES)) : s50).intoArray(dv, d0 + 5 * PANEL + 0 * LANES);
        (add ? s51.add(FloatVector.fromArray(SPECIES, dv, d0 + 5 * PANEL + 1 * LANES)) : s51).intoArray(dv, d0 + 5 * PANEL + 1 * LANES);
        (add ? s52.add(FloatVector.fromArray(SPECIES, dv, d0 + 5 * PANEL + 2 * LANES)) : s52).intoArray(dv, d0 + 5 * PANEL + 2 * LANES);
        (add ? s53.add(FloatVector.fromArray(SPECIES, dv, d0 + 5 * PANEL + 3 * LANES)) : s53).intoArray(dv, d0 + 5 * PANEL + 3 * LANES);
    }

    /** {@link #outerSixByFour} for 4 outputs. */
    private static void outerFourByFour(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s12 = s00;
        FloatVector s13 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s22 = s00;
        FloatVector s23 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        FloatVector s32 = s00;
        FloatVector s33 = s00;
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xv, xi + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xv, xi + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xv, xi + 3 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
            s01 = x1.fma(g, s01);
            s02 = x2.fma(g, s02);
            s03 = x3.fma(g, s03);
            g = FloatVector.broadcast(SPECIES, yv[yi + 1]);
            s10 = x0.fma(g, s10);
            s11 = x1.fma(g, s11);
            s12 = x2.fma(g, s12);
            s13 = x3.fma(g, s13);
            g = FloatVector.broadcast(SPECIES, yv[yi + 2]);
            s20 = x0.fma(g, s20);
            s21 = x1.fma(g, s21);
            s22 = x2.fma(g, s22);
            s23 = x3.fma(g, s23);
            g = FloatVector.broadcast(SPECIES, yv[yi + 3]);
            s30 = x0.fma(g, s30);
            s31 = x1.fma(g, s31);
            s32 = x2.fma(g, s32);
            s33 = x3.fma(g, s33);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * PANEL + 0 * LANES);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 1 * LANES)) : s01).intoArray(dv, d0 + 0 * PANEL + 1 * LANES);
        (add ? s02.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 2 * LANES)) : s02).intoArray(dv, d0 + 0 * PANEL + 2 * LANES);
        (add ? s03.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 3 * LANES)) : s03).intoArray(dv, d0 + 0 * PANEL + 3 * LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 0 * LANES)) : s10).intoArray(dv, d0 + 1 * PANEL + 0 * LANES);
        (add ? s11.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 1 * LANES)) : s11).intoArray(dv, d0 + 1 * PANEL + 1 * LANES);
        (add ? s12.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 2 * LANES)) : s12).intoArray(dv, d0 + 1 * PANEL + 2 * LANES);
        (add ? s13.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * PANEL + 3 * LANES)) : s13).intoArray(dv, d0 + 1 * PANEL + 3 * LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 0 * LANES)) : s20).intoArray(dv, d0 + 2 * PANEL + 0 * LANES);
        (add ? s21.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 1 * LANES)) : s21).intoArray(dv, d0 + 2 * PANEL + 1 * LANES);
        (add ? s22.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 2 * LANES)) : s22).intoArray(dv, d0 + 2 * PANEL + 2 * LANES);
        (add ? s23.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * PANEL + 3 * LANES)) : s23).intoArray(dv, d0 + 2 * PANEL + 3 * LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 0 * LANES)) : s30).intoArray(dv, d0 + 3 * PANEL + 0 * LANES);
        (add ? s31.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 1 * LANES)) : s31).intoArray(dv, d0 + 3 * PANEL + 1 * LANES);
        (add ? s32.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 2 * LANES)) : s32).intoArray(dv, d0 + 3 * PANEL + 2 * LANES);
        (add ? s33.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * PANEL + 3 * LANES)) : s33).intoArray(dv, d0 + 3 * PANEL + 3 * LANES);
    }

    /** {@link #outerSixByFour} for one output. */
    private static void outerOneByFour(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s02 = s00;
        FloatVector s03 = s00;
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xv, xi + 1 * LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, xv, xi + 2 * LANES);
            FloatVector x3 = FloatVector.fromArray(SPECIES, xv, xi + 3 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
            s01 = x1.fma(g, s01);
            s02 = x2.fma(g, s02);
            s03 = x3.fma(g, s03);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * PANEL + 0 * LANES);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 1 * LANES)) : s01).intoArray(dv, d0 + 0 * PANEL + 1 * LANES);
        (add ? s02.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 2 * LANES)) : s02).intoArray(dv, d0 + 0 * PANEL + 2 * LANES);
        (add ? s03.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * PANEL + 3 * LANES)) : s03).intoArray(dv, d0 + 0 * PANEL + 3 * LANES);
    }

    /** dw[4 outputs, 2 vectors] (+)= sum over the rows of dy[r, output] x[r, 2 vectors], dw's rows {@code ds} apart. */
    private static void outerFourByTwo(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, int ds, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xv, xi + 1 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
            s01 = x1.fma(g, s01);
            g = FloatVector.broadcast(SPECIES, yv[yi + 1]);
            s10 = x0.fma(g, s10);
            s11 = x1.fma(g, s11);
            g = FloatVector.broadcast(SPECIES, yv[yi + 2]);
            s20 = x0.fma(g, s20);
            s21 = x1.fma(g, s21);
            g = FloatVector.broadcast(SPECIES, yv[yi + 3]);
            s30 = x0.fma(g, s30);
            s31 = x1.fma(g, s31);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * ds + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * ds + 0 * LANES);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * ds + 1 * LANES)) : s01).intoArray(dv, d0 + 0 * ds + 1 * LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * ds + 0 * LANES)) : s10).intoArray(dv, d0 + 1 * ds + 0 * LANES);
        (add ? s11.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * ds + 1 * LANES)) : s11).intoArray(dv, d0 + 1 * ds + 1 * LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds + 0 * LANES)) : s20).intoArray(dv, d0 + 2 * ds + 0 * LANES);
        (add ? s21.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds + 1 * LANES)) : s21).intoArray(dv, d0 + 2 * ds + 1 * LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds + 0 * LANES)) : s30).intoArray(dv, d0 + 3 * ds + 0 * LANES);
        (add ? s31.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds + 1 * LANES)) : s31).intoArray(dv, d0 + 3 * ds + 1 * LANES);
    }

    /** {@link #outerFourByTwo} for one vector. */
    private static void outerFourByOne(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, int ds, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s10 = s00;
        FloatVector s20 = s00;
        FloatVector s30 = s00;
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
            g = FloatVector.broadcast(SPECIES, yv[yi + 1]);
            s10 = x0.fma(g, s10);
            g = FloatVector.broadcast(SPECIES, yv[yi + 2]);
            s20 = x0.fma(g, s20);
            g = FloatVector.broadcast(SPECIES, yv[yi + 3]);
            s30 = x0.fma(g, s30);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * ds + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * ds + 0 * LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d0 + 1 * ds + 0 * LANES)) : s10).intoArray(dv, d0 + 1 * ds + 0 * LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds + 0 * LANES)) : s20).intoArray(dv, d0 + 2 * ds + 0 * LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds + 0 * LANES)) : s30).intoArray(dv, d0 + 3 * ds + 0 * LANES);
    }

    /** {@link #outerFourByTwo} for one output and one vector. */
    private static void outerOneByOne(float[] yv, int y0, int ys, int rows, float[] xv, int xStart, int xs, float[] dv, int d0, int ds, boolean add) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        int yi = y0;
        int xi = xStart;
        for (int r = 0; r < rows; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi + 0 * LANES);
            FloatVector g;
            g = FloatVector.broadcast(SPECIES, yv[yi + 0]);
            s00 = x0.fma(g, s00);
        }
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0 + 0 * ds + 0 * LANES)) : s00).intoArray(dv, d0 + 0 * ds + 0 * LANES);
    }
}
