package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products every linear layer is made of, on the Vector API, and the few vector helpers around
 * them. Matrices are row-major {@link Matrix} views whose strides and widths are whole numbers of vectors,
 * padding lanes holding 0.
 *
 * <p>One entry point per direction: {@link #multiply} (out = a b, then an {@link Epilogue}) and
 * {@link #outerProducts} (dw (+)= dy^T x). Both broadcast one scalar and stream contiguous vectors, and are
 * register-blocked, so each loaded vector serves several rows and each broadcast scalar several vectors. The blocks
 * only change which registers hold a sum, never the order of its terms: every variant gives the same bits.
 *
 * <p>Which block where (the wide blocks need the 32 vector registers of AVX-512: on by default at 512 bits, see
 * {@link #FOUR_BY_FOUR}):
 * <ul>
 * <li>{@code multiply}, column panels of 4 vectors: rows in blocks of 6 (24 accumulators, 4 loads of b and 6
 * broadcasts per 24 fmas), the last rows in blocks of 4, then singly; the depth in blocks of {@link #DEPTH_BLOCK}
 * (the sums carried through {@code out} between blocks). Narrower panels, and every panel without the wide
 * blocks: 4 rows x 2 vectors, then 8 rows x 1 vector.</li>
 * <li>{@code outerProducts}, strips of 4 vectors of x, outermost: in each, blocks of 6 outputs (24 accumulators, 4
 * loads of x and 6 broadcasts of dy per 24 fmas) sum over all rows in registers while the strip (rows x 4
 * vectors: 192 KB at 768 rows) stays in L2; before, every block of 4 outputs re-read all of x from L3 (4.7 MB
 * at 768 rows x 1536). The other outputs and columns, and everything without the wide blocks: 4 outputs x 2
 * vectors, 4 x 1, then 1 x 1, also strips (of 2 vectors, then 1) outermost.</li>
 * </ul>
 *
 * <p>Measured ({@code ProductTimer}: this thread's CPU time, the fastest of 5-7 batches; 768 rows, one thread, a
 * 2-core AVX-512 Xeon whose FMA peak {@code FmaPeak} measures at 170 GFLOP/s, shared with other work at a load of 8
 * to 10, old and new kernels alternated), GFLOP/s before and after the wide blocks: multiply 384x1536 65-69 to
 * 100-109, 1536x384 77-89 to 93-119, 128x512 76-98 to 112-122, 512x128 78-91 to 137-157, 384x384 81-89 to 83-92;
 * outerProducts 384x1536 30-34 to 53-63, 1536x384 45-49 to 57-78, 384x384 51-55 to 104-115, 128x512 34-42 to
 * 76-79. Depth blocks small enough for L1 were slower than one pass from L2 (see {@link #DEPTH_BLOCK}); blocks of
 * 8 outputs x 3 vectors or 12 x 2 instead of 6 x 4 in {@code outerProducts} measured no better, within the noise.
 */
final class VectorKernels {
    /**
     * The widest float vector of this CPU, or a narrower one if the system property
     * {@code microgpt.simd.bits} (128 or 256) asks for it (to measure or test as on a narrower CPU).
     */
    static final VectorSpecies<Float> SPECIES = species(Integer.getInteger("microgpt.simd.bits", 0));
    /** Floats per vector. */
    static final int LANES = SPECIES.length();

    /**
     * Whether the products use their wide blocks: 6 rows x 4 vectors (and 4 x 4 for the last rows) in {@link #multiply},
     * 6 outputs x 4 vectors in {@link #outerProducts}: 16 to 24 accumulators, which fit the 32 vector registers of
     * AVX-512 but would spill from the 16 of AVX2. By default on at 512 bits; the system property
     * {@code microgpt.simd.blocks4x4} ({@code true} or {@code false}) forces it on or off (to test both
     * variants at every width). The choice never changes a result: every variant sums each output in the
     * same order.
     */
    static final boolean FOUR_BY_FOUR = fourByFour(System.getProperty("microgpt.simd.blocks4x4"));

    /**
     * Depth of the blocks in which {@link #multiply}'s 6 x 4 blocks walk b, so that the panel of b in use (4 vectors
     * x this many rows: 512 KB at 512 bits) stays in L2 while every row block passes. Measured (768 rows, depth 384
     * and 1536): blocks small enough for L1 (64 to 192 rows of b, 16 to 48 KB) were slower than one pass over the whole
     * depth from L2 (72-94 against 98-100 GFLOP/s), so no product of the model up to n_embd 512 is cut. The system
     * property {@code microgpt.simd.depthBlock} sets it (the build's tests force a small one, to cover the carry
     * between blocks).
     */
    static final int DEPTH_BLOCK = Integer.getInteger("microgpt.simd.depthBlock", 2048);

    /** What {@link #multiply} does with each product before storing it. */
    enum Epilogue {
        /** out = product. */
        STORE,
        /** out = product + extra (a residual; extra may be out itself). */
        ADD,
        /** out = max(product, 0). */
        RELU,
        /** out = product where extra &gt; 0, else 0 (the ReLU's gradient gate). */
        GATE
    }

    private VectorKernels() {
    }

    private static VectorSpecies<Float> species(int bits) {
        VectorSpecies<Float> widest = FloatVector.SPECIES_PREFERRED;
        if (bits == 128 || bits == 256) {
            VectorSpecies<Float> asked = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
            if (asked.vectorBitSize() < widest.vectorBitSize()) return asked;
        }
        return widest;
    }

    private static boolean fourByFour(String forced) {
        if (forced == null || forced.isEmpty()) return SPECIES.vectorBitSize() >= 512;
        if (forced.equals("true") || forced.equals("false")) return Boolean.parseBoolean(forced);
        throw new IllegalArgumentException("-Dmicrogpt.simd.blocks4x4=" + forced + ": use true, false, or leave it unset");
    }

    /** n rounded up to a whole number of vectors. */
    static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * out[r, :] = epilogue(sum_k a[r, k] * b[k, :]) for rows r in [from, to): a is [rows x depth] (only its
     * first depth columns are read), b is [depth x width], width a whole number of vectors; {@code extra} is
     * read by ADD and GATE only. Each output is summed over k in ascending order by fused multiply-adds,
     * whichever block computes it.
     */
    static void multiply(Matrix a, int from, int to, int depth, Matrix b, int width, Matrix out, Epilogue epilogue,
                         Matrix extra) {
        int c = 0;
        if (FOUR_BY_FOUR) {
            for (; c + 4 * LANES <= width; c += 4 * LANES) multiplySixByFour(a, from, to, depth, b, c, out, epilogue, extra);
        }
        for (; c + 2 * LANES <= width; c += 2 * LANES) multiplyTwoVectors(a, from, to, depth, b, c, out, epilogue, extra);
        for (; c < width; c += LANES) multiplyOneVector(a, from, to, depth, b, c, out, epilogue, extra);
    }

    /**
     * {@link #multiply} for the columns [c, c + 4 * LANES): the depth in blocks of {@link #DEPTH_BLOCK}, rows in blocks
     * of 6 (24 accumulators). Between depth blocks the running sums wait in {@code out}, so each output is still one
     * fma chain over k ascending (from extra for ADD); RELU and GATE apply after the last block.
     */
    private static void multiplySixByFour(Matrix a, int from, int to, int depth, Matrix b, int c, Matrix out,
                                          Epilogue epilogue, Matrix extra) {
        int last = from + (to - from) / 6 * 6;
        for (int k0 = 0; k0 < depth; k0 += DEPTH_BLOCK) {
            int k1 = Math.min(depth, k0 + DEPTH_BLOCK);
            Matrix start = k0 > 0 ? out : epilogue == Epilogue.ADD ? extra : null;
            boolean finish = k1 == depth && (epilogue == Epilogue.RELU || epilogue == Epilogue.GATE);
            for (int r = from; r < last; r += 6) {
                sixByFour(a, r, k0, k1, b, c, out, start);
                if (finish) finish(out, r, r + 6, c, 4, epilogue, extra);
            }
        }
        // the last rows: blocks of 4, then two-vector passes
        multiplyFourVectors(a, last, to, depth, b, c, out, epilogue, extra);
    }

    /**
     * out[r..r+5, c..c + 4 * LANES) = start[r..r+5, same columns] (0 if start is null) + sum over k in [k0, k1) of
     * a[r.., k] * b[k, c..]: one depth block of {@link #multiplySixByFour}.
     */
    private static void sixByFour(Matrix a, int r, int k0, int k1, Matrix b, int c, Matrix out, Matrix start) {
        float[] av = a.data();
        float[] bv = b.data();
        float[] ov = out.data();
        int as = a.stride();
        int bs = b.stride();
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
        if (start != null) {
            float[] sv = start.data();
            int ss = start.stride();
            int s0 = start.row(r) + c;
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
        int a0 = a.row(r);
        int bi = b.row(k0) + c;
        for (int k = k0; k < k1; k++, bi += bs) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bv, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bv, bi + 3 * LANES);
            FloatVector x;
            x = FloatVector.broadcast(SPECIES, av[a0 + 0 * as + k]);
            s00 = b0.fma(x, s00);
            s01 = b1.fma(x, s01);
            s02 = b2.fma(x, s02);
            s03 = b3.fma(x, s03);
            x = FloatVector.broadcast(SPECIES, av[a0 + 1 * as + k]);
            s10 = b0.fma(x, s10);
            s11 = b1.fma(x, s11);
            s12 = b2.fma(x, s12);
            s13 = b3.fma(x, s13);
            x = FloatVector.broadcast(SPECIES, av[a0 + 2 * as + k]);
            s20 = b0.fma(x, s20);
            s21 = b1.fma(x, s21);
            s22 = b2.fma(x, s22);
            s23 = b3.fma(x, s23);
            x = FloatVector.broadcast(SPECIES, av[a0 + 3 * as + k]);
            s30 = b0.fma(x, s30);
            s31 = b1.fma(x, s31);
            s32 = b2.fma(x, s32);
            s33 = b3.fma(x, s33);
            x = FloatVector.broadcast(SPECIES, av[a0 + 4 * as + k]);
            s40 = b0.fma(x, s40);
            s41 = b1.fma(x, s41);
            s42 = b2.fma(x, s42);
            s43 = b3.fma(x, s43);
            x = FloatVector.broadcast(SPECIES, av[a0 + 5 * as + k]);
            s50 = b0.fma(x, s50);
            s51 = b1.fma(x, s51);
            s52 = b2.fma(x, s52);
            s53 = b3.fma(x, s53);
        }
        int os = out.stride();
        int o0 = out.row(r) + c;
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

    /** {@link #multiply} for the columns [c, c + 4 * LANES), in blocks of 4 rows. */
    private static void multiplyFourVectors(Matrix a, int from, int to, int depth, Matrix b, int c, Matrix out,
                                            Epilogue epilogue, Matrix extra) {
        float[] av = a.data();
        float[] bv = b.data();
        float[] ov = out.data();
        int as = a.stride();
        int bs = b.stride();
        boolean add = epilogue == Epilogue.ADD;
        float[] ev = add ? extra.data() : null;
        int es = add ? extra.stride() : 0;
        boolean after = epilogue == Epilogue.RELU || epilogue == Epilogue.GATE;
        int r = from;
        for (; r + 4 <= to; r += 4) {
            int a0 = a.row(r);
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
            if (add) {
                int e0 = extra.row(r) + c;
                s00 = FloatVector.fromArray(SPECIES, ev, e0 + 0 * es + 0 * LANES);
                s01 = FloatVector.fromArray(SPECIES, ev, e0 + 0 * es + 1 * LANES);
                s02 = FloatVector.fromArray(SPECIES, ev, e0 + 0 * es + 2 * LANES);
                s03 = FloatVector.fromArray(SPECIES, ev, e0 + 0 * es + 3 * LANES);
                s10 = FloatVector.fromArray(SPECIES, ev, e0 + 1 * es + 0 * LANES);
                s11 = FloatVector.fromArray(SPECIES, ev, e0 + 1 * es + 1 * LANES);
                s12 = FloatVector.fromArray(SPECIES, ev, e0 + 1 * es + 2 * LANES);
                s13 = FloatVector.fromArray(SPECIES, ev, e0 + 1 * es + 3 * LANES);
                s20 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es + 0 * LANES);
                s21 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es + 1 * LANES);
                s22 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es + 2 * LANES);
                s23 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es + 3 * LANES);
                s30 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es + 0 * LANES);
                s31 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es + 1 * LANES);
                s32 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es + 2 * LANES);
                s33 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es + 3 * LANES);
            }
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi + 0 * LANES);
                FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + 1 * LANES);
                FloatVector b2 = FloatVector.fromArray(SPECIES, bv, bi + 2 * LANES);
                FloatVector b3 = FloatVector.fromArray(SPECIES, bv, bi + 3 * LANES);
                FloatVector x;
                x = FloatVector.broadcast(SPECIES, av[a0 + 0 * as + k]);
                s00 = b0.fma(x, s00);
                s01 = b1.fma(x, s01);
                s02 = b2.fma(x, s02);
                s03 = b3.fma(x, s03);
                x = FloatVector.broadcast(SPECIES, av[a0 + 1 * as + k]);
                s10 = b0.fma(x, s10);
                s11 = b1.fma(x, s11);
                s12 = b2.fma(x, s12);
                s13 = b3.fma(x, s13);
                x = FloatVector.broadcast(SPECIES, av[a0 + 2 * as + k]);
                s20 = b0.fma(x, s20);
                s21 = b1.fma(x, s21);
                s22 = b2.fma(x, s22);
                s23 = b3.fma(x, s23);
                x = FloatVector.broadcast(SPECIES, av[a0 + 3 * as + k]);
                s30 = b0.fma(x, s30);
                s31 = b1.fma(x, s31);
                s32 = b2.fma(x, s32);
                s33 = b3.fma(x, s33);
            }
            int o0 = out.row(r) + c;
            int os = out.stride();
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
            if (after) finish(out, r, r + 4, c, 4, epilogue, extra);
        }
        // the last rows: two two-vector passes
        multiplyTwoVectors(a, r, to, depth, b, c, out, epilogue, extra);
        multiplyTwoVectors(a, r, to, depth, b, c + 2 * LANES, out, epilogue, extra);
    }

    /** {@link #multiply} for the columns [c, c + 2 * LANES). */
    private static void multiplyTwoVectors(Matrix a, int from, int to, int depth, Matrix b, int c, Matrix out,
                                           Epilogue epilogue, Matrix extra) {
        float[] av = a.data();
        float[] bv = b.data();
        float[] ov = out.data();
        int as = a.stride();
        int bs = b.stride();
        boolean add = epilogue == Epilogue.ADD;
        float[] ev = add ? extra.data() : null;
        int es = add ? extra.stride() : 0;
        boolean after = epilogue == Epilogue.RELU || epilogue == Epilogue.GATE;
        int r = from;
        for (; r + 4 <= to; r += 4) {
            int a0 = a.row(r);
            int a1 = a0 + as;
            int a2 = a1 + as;
            int a3 = a2 + as;
            FloatVector s00 = FloatVector.zero(SPECIES);
            FloatVector s01 = s00;
            FloatVector s10 = s00;
            FloatVector s11 = s00;
            FloatVector s20 = s00;
            FloatVector s21 = s00;
            FloatVector s30 = s00;
            FloatVector s31 = s00;
            if (add) {   // out = extra + product: start the sums from extra (which may be out itself)
                int e0 = extra.row(r) + c;
                s00 = FloatVector.fromArray(SPECIES, ev, e0);
                s01 = FloatVector.fromArray(SPECIES, ev, e0 + LANES);
                s10 = FloatVector.fromArray(SPECIES, ev, e0 + es);
                s11 = FloatVector.fromArray(SPECIES, ev, e0 + es + LANES);
                s20 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es);
                s21 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es + LANES);
                s30 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es);
                s31 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es + LANES);
            }
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                FloatVector b0 = FloatVector.fromArray(SPECIES, bv, bi);
                FloatVector b1 = FloatVector.fromArray(SPECIES, bv, bi + LANES);
                FloatVector x = FloatVector.broadcast(SPECIES, av[a0 + k]);
                s00 = b0.fma(x, s00);
                s01 = b1.fma(x, s01);
                x = FloatVector.broadcast(SPECIES, av[a1 + k]);
                s10 = b0.fma(x, s10);
                s11 = b1.fma(x, s11);
                x = FloatVector.broadcast(SPECIES, av[a2 + k]);
                s20 = b0.fma(x, s20);
                s21 = b1.fma(x, s21);
                x = FloatVector.broadcast(SPECIES, av[a3 + k]);
                s30 = b0.fma(x, s30);
                s31 = b1.fma(x, s31);
            }
            int o0 = out.row(r) + c;
            int os = out.stride();
            s00.intoArray(ov, o0);
            s01.intoArray(ov, o0 + LANES);
            s10.intoArray(ov, o0 + os);
            s11.intoArray(ov, o0 + os + LANES);
            s20.intoArray(ov, o0 + 2 * os);
            s21.intoArray(ov, o0 + 2 * os + LANES);
            s30.intoArray(ov, o0 + 3 * os);
            s31.intoArray(ov, o0 + 3 * os + LANES);
            if (after) finish(out, r, r + 4, c, 2, epilogue, extra);
        }
        for (; r < to; r++) {
            int a0 = a.row(r);
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            if (add) {
                s0 = FloatVector.fromArray(SPECIES, ev, extra.row(r) + c);
                s1 = FloatVector.fromArray(SPECIES, ev, extra.row(r) + c + LANES);
            }
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                FloatVector x = FloatVector.broadcast(SPECIES, av[a0 + k]);
                s0 = FloatVector.fromArray(SPECIES, bv, bi).fma(x, s0);
                s1 = FloatVector.fromArray(SPECIES, bv, bi + LANES).fma(x, s1);
            }
            s0.intoArray(ov, out.row(r) + c);
            s1.intoArray(ov, out.row(r) + c + LANES);
            if (after) finish(out, r, r + 1, c, 2, epilogue, extra);
        }
    }

    /** {@link #multiply} for the columns [c, c + LANES). */
    private static void multiplyOneVector(Matrix a, int from, int to, int depth, Matrix b, int c, Matrix out,
                                          Epilogue epilogue, Matrix extra) {
        float[] av = a.data();
        float[] bv = b.data();
        float[] ov = out.data();
        int as = a.stride();
        int bs = b.stride();
        boolean add = epilogue == Epilogue.ADD;
        float[] ev = add ? extra.data() : null;
        int es = add ? extra.stride() : 0;
        boolean after = epilogue == Epilogue.RELU || epilogue == Epilogue.GATE;
        int r = from;
        for (; r + 8 <= to; r += 8) {   // 8 independent sums: enough to keep both FMA pipes busy
            int a0 = a.row(r);
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector s4 = s0;
            FloatVector s5 = s0;
            FloatVector s6 = s0;
            FloatVector s7 = s0;
            if (add) {
                int e0 = extra.row(r) + c;
                s0 = FloatVector.fromArray(SPECIES, ev, e0);
                s1 = FloatVector.fromArray(SPECIES, ev, e0 + es);
                s2 = FloatVector.fromArray(SPECIES, ev, e0 + 2 * es);
                s3 = FloatVector.fromArray(SPECIES, ev, e0 + 3 * es);
                s4 = FloatVector.fromArray(SPECIES, ev, e0 + 4 * es);
                s5 = FloatVector.fromArray(SPECIES, ev, e0 + 5 * es);
                s6 = FloatVector.fromArray(SPECIES, ev, e0 + 6 * es);
                s7 = FloatVector.fromArray(SPECIES, ev, e0 + 7 * es);
            }
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                FloatVector w = FloatVector.fromArray(SPECIES, bv, bi);
                int ak = a0 + k;
                s0 = w.fma(FloatVector.broadcast(SPECIES, av[ak]), s0);
                s1 = w.fma(FloatVector.broadcast(SPECIES, av[ak + as]), s1);
                s2 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 2 * as]), s2);
                s3 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 3 * as]), s3);
                s4 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 4 * as]), s4);
                s5 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 5 * as]), s5);
                s6 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 6 * as]), s6);
                s7 = w.fma(FloatVector.broadcast(SPECIES, av[ak + 7 * as]), s7);
            }
            int o0 = out.row(r) + c;
            int os = out.stride();
            s0.intoArray(ov, o0);
            s1.intoArray(ov, o0 + os);
            s2.intoArray(ov, o0 + 2 * os);
            s3.intoArray(ov, o0 + 3 * os);
            s4.intoArray(ov, o0 + 4 * os);
            s5.intoArray(ov, o0 + 5 * os);
            s6.intoArray(ov, o0 + 6 * os);
            s7.intoArray(ov, o0 + 7 * os);
            if (after) finish(out, r, r + 8, c, 1, epilogue, extra);
        }
        for (; r + 4 <= to; r += 4) {
            int a0 = a.row(r);
            int a1 = a0 + as;
            int a2 = a1 + as;
            int a3 = a2 + as;
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            if (add) {
                s0 = FloatVector.fromArray(SPECIES, ev, extra.row(r) + c);
                s1 = FloatVector.fromArray(SPECIES, ev, extra.row(r + 1) + c);
                s2 = FloatVector.fromArray(SPECIES, ev, extra.row(r + 2) + c);
                s3 = FloatVector.fromArray(SPECIES, ev, extra.row(r + 3) + c);
            }
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                FloatVector w = FloatVector.fromArray(SPECIES, bv, bi);
                s0 = w.fma(FloatVector.broadcast(SPECIES, av[a0 + k]), s0);
                s1 = w.fma(FloatVector.broadcast(SPECIES, av[a1 + k]), s1);
                s2 = w.fma(FloatVector.broadcast(SPECIES, av[a2 + k]), s2);
                s3 = w.fma(FloatVector.broadcast(SPECIES, av[a3 + k]), s3);
            }
            s0.intoArray(ov, out.row(r) + c);
            s1.intoArray(ov, out.row(r + 1) + c);
            s2.intoArray(ov, out.row(r + 2) + c);
            s3.intoArray(ov, out.row(r + 3) + c);
            if (after) finish(out, r, r + 4, c, 1, epilogue, extra);
        }
        for (; r < to; r++) {
            int a0 = a.row(r);
            FloatVector s0 = add ? FloatVector.fromArray(SPECIES, ev, extra.row(r) + c) : FloatVector.zero(SPECIES);
            int bi = b.offset() + c;
            for (int k = 0; k < depth; k++, bi += bs) {
                s0 = FloatVector.fromArray(SPECIES, bv, bi).fma(FloatVector.broadcast(SPECIES, av[a0 + k]), s0);
            }
            s0.intoArray(ov, out.row(r) + c);
            if (after) finish(out, r, r + 1, c, 1, epilogue, extra);
        }
    }

    /**
     * Applies a RELU or GATE epilogue to the block just stored, out[from..to, c..c + vectors * LANES), while it is in L1.
     * (Applying it to the accumulators instead would pass vectors to a call too large to inline, and boxed
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
     * dw[o, :] (+)= sum_r dy[r, o] * x[r, :] for o in [0, outputs) and rows r in [from, to): the weight gradient
     * of y = x w^T, summed over the rows in registers (in ascending order) and then added to dw once when
     * {@code accumulate}, else written over it. x is [rows x width], width a whole number of vectors.
     */
    static void outerProducts(Matrix dy, int from, int to, int outputs, Matrix x, int width, Matrix dw,
                              boolean accumulate) {
        int c = 0;
        if (FOUR_BY_FOUR) {
            // strips of 4 vectors outermost: the strip of x (rows x 4 vectors) stays in cache while every block
            // of 6 outputs passes over it
            for (; c + 4 * LANES <= width; c += 4 * LANES) {
                int o = 0;
                for (; o + 6 <= outputs; o += 6) outerSixByFour(dy, from, to, o, x, c, dw, accumulate);
                outerNarrow(dy, from, to, o, outputs, x, c, c + 4 * LANES, dw, accumulate);
            }
        }
        outerNarrow(dy, from, to, 0, outputs, x, c, width, dw, accumulate);
    }

    /** {@link #outerProducts} for outputs [o0, o1) and columns [c0, c1), in blocks of 4 outputs x 2 vectors (or 1). */
    private static void outerNarrow(Matrix dy, int from, int to, int o0, int o1, Matrix x, int c0, int c1, Matrix dw,
                                    boolean accumulate) {
        int whole = o0 + (o1 - o0) / 4 * 4;
        int c = c0;
        for (; c + 2 * LANES <= c1; c += 2 * LANES) {   // strips of 2 vectors outermost, as in the wide blocks
            for (int o = o0; o < whole; o += 4) outerFourByTwo(dy, from, to, o, x, c, dw, accumulate);
        }
        for (; c < c1; c += LANES) {
            for (int o = o0; o < whole; o += 4) outerFourByOne(dy, from, to, o, x, c, dw, accumulate);
        }
        for (int o = whole; o < o1; o++) {
            for (c = c0; c < c1; c += LANES) outerOne(dy, from, to, o, x, c, dw, accumulate);
        }
    }

    /** dw[o..o+5, c..c + 4 * LANES) (+)= sum_r dy[r, o..o+5] x[r, c..c + 4 * LANES): 24 accumulators. */
    private static void outerSixByFour(Matrix dy, int from, int to, int o, Matrix x, int c, Matrix dw, boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
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
        int yi = dy.row(from) + o;
        int xi = x.row(from) + c;
        for (int r = from; r < to; r++, yi += ys, xi += xs) {
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
        float[] dv = dw.data();
        int ds = dw.stride();
        int d = dw.row(o) + c;
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d + 0 * ds + 0 * LANES)) : s00).intoArray(dv, d + 0 * ds + 0 * LANES);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d + 0 * ds + 1 * LANES)) : s01).intoArray(dv, d + 0 * ds + 1 * LANES);
        (add ? s02.add(FloatVector.fromArray(SPECIES, dv, d + 0 * ds + 2 * LANES)) : s02).intoArray(dv, d + 0 * ds + 2 * LANES);
        (add ? s03.add(FloatVector.fromArray(SPECIES, dv, d + 0 * ds + 3 * LANES)) : s03).intoArray(dv, d + 0 * ds + 3 * LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d + 1 * ds + 0 * LANES)) : s10).intoArray(dv, d + 1 * ds + 0 * LANES);
        (add ? s11.add(FloatVector.fromArray(SPECIES, dv, d + 1 * ds + 1 * LANES)) : s11).intoArray(dv, d + 1 * ds + 1 * LANES);
        (add ? s12.add(FloatVector.fromArray(SPECIES, dv, d + 1 * ds + 2 * LANES)) : s12).intoArray(dv, d + 1 * ds + 2 * LANES);
        (add ? s13.add(FloatVector.fromArray(SPECIES, dv, d + 1 * ds + 3 * LANES)) : s13).intoArray(dv, d + 1 * ds + 3 * LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d + 2 * ds + 0 * LANES)) : s20).intoArray(dv, d + 2 * ds + 0 * LANES);
        (add ? s21.add(FloatVector.fromArray(SPECIES, dv, d + 2 * ds + 1 * LANES)) : s21).intoArray(dv, d + 2 * ds + 1 * LANES);
        (add ? s22.add(FloatVector.fromArray(SPECIES, dv, d + 2 * ds + 2 * LANES)) : s22).intoArray(dv, d + 2 * ds + 2 * LANES);
        (add ? s23.add(FloatVector.fromArray(SPECIES, dv, d + 2 * ds + 3 * LANES)) : s23).intoArray(dv, d + 2 * ds + 3 * LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d + 3 * ds + 0 * LANES)) : s30).intoArray(dv, d + 3 * ds + 0 * LANES);
        (add ? s31.add(FloatVector.fromArray(SPECIES, dv, d + 3 * ds + 1 * LANES)) : s31).intoArray(dv, d + 3 * ds + 1 * LANES);
        (add ? s32.add(FloatVector.fromArray(SPECIES, dv, d + 3 * ds + 2 * LANES)) : s32).intoArray(dv, d + 3 * ds + 2 * LANES);
        (add ? s33.add(FloatVector.fromArray(SPECIES, dv, d + 3 * ds + 3 * LANES)) : s33).intoArray(dv, d + 3 * ds + 3 * LANES);
        (add ? s40.add(FloatVector.fromArray(SPECIES, dv, d + 4 * ds + 0 * LANES)) : s40).intoArray(dv, d + 4 * ds + 0 * LANES);
        (add ? s41.add(FloatVector.fromArray(SPECIES, dv, d + 4 * ds + 1 * LANES)) : s41).intoArray(dv, d + 4 * ds + 1 * LANES);
        (add ? s42.add(FloatVector.fromArray(SPECIES, dv, d + 4 * ds + 2 * LANES)) : s42).intoArray(dv, d + 4 * ds + 2 * LANES);
        (add ? s43.add(FloatVector.fromArray(SPECIES, dv, d + 4 * ds + 3 * LANES)) : s43).intoArray(dv, d + 4 * ds + 3 * LANES);
        (add ? s50.add(FloatVector.fromArray(SPECIES, dv, d + 5 * ds + 0 * LANES)) : s50).intoArray(dv, d + 5 * ds + 0 * LANES);
        (add ? s51.add(FloatVector.fromArray(SPECIES, dv, d + 5 * ds + 1 * LANES)) : s51).intoArray(dv, d + 5 * ds + 1 * LANES);
        (add ? s52.add(FloatVector.fromArray(SPECIES, dv, d + 5 * ds + 2 * LANES)) : s52).intoArray(dv, d + 5 * ds + 2 * LANES);
        (add ? s53.add(FloatVector.fromArray(SPECIES, dv, d + 5 * ds + 3 * LANES)) : s53).intoArray(dv, d + 5 * ds + 3 * LANES);
    }

    /** dw[o..o+3, c..c + 2 * LANES) += sum_r dy[r, o..o+3] x[r, c..c + 2 * LANES). */
    private static void outerFourByTwo(Matrix dy, int from, int to, int o, Matrix x, int c, Matrix dw, boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00;
        FloatVector s10 = s00;
        FloatVector s11 = s00;
        FloatVector s20 = s00;
        FloatVector s21 = s00;
        FloatVector s30 = s00;
        FloatVector s31 = s00;
        int yi = dy.row(from) + o;
        int xi = x.row(from) + c;
        for (int r = from; r < to; r++, yi += ys, xi += xs) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, xv, xi);
            FloatVector x1 = FloatVector.fromArray(SPECIES, xv, xi + LANES);
            FloatVector g = FloatVector.broadcast(SPECIES, yv[yi]);
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
        int d0 = dw.row(o) + c;
        int ds = dw.stride();
        float[] dv = dw.data();
        (add ? s00.add(FloatVector.fromArray(SPECIES, dv, d0)) : s00).intoArray(dv, d0);
        (add ? s01.add(FloatVector.fromArray(SPECIES, dv, d0 + LANES)) : s01).intoArray(dv, d0 + LANES);
        (add ? s10.add(FloatVector.fromArray(SPECIES, dv, d0 + ds)) : s10).intoArray(dv, d0 + ds);
        (add ? s11.add(FloatVector.fromArray(SPECIES, dv, d0 + ds + LANES)) : s11).intoArray(dv, d0 + ds + LANES);
        (add ? s20.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds)) : s20).intoArray(dv, d0 + 2 * ds);
        (add ? s21.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds + LANES)) : s21).intoArray(dv, d0 + 2 * ds + LANES);
        (add ? s30.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds)) : s30).intoArray(dv, d0 + 3 * ds);
        (add ? s31.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds + LANES)) : s31).intoArray(dv, d0 + 3 * ds + LANES);
    }

    /** dw[o..o+3, c..c + LANES) += sum_r dy[r, o..o+3] x[r, c..c + LANES). */
    private static void outerFourByOne(Matrix dy, int from, int to, int o, Matrix x, int c, Matrix dw, boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int yi = dy.row(from) + o;
        int xi = x.row(from) + c;
        for (int r = from; r < to; r++, yi += ys, xi += xs) {
            FloatVector xr = FloatVector.fromArray(SPECIES, xv, xi);
            s0 = xr.fma(FloatVector.broadcast(SPECIES, yv[yi]), s0);
            s1 = xr.fma(FloatVector.broadcast(SPECIES, yv[yi + 1]), s1);
            s2 = xr.fma(FloatVector.broadcast(SPECIES, yv[yi + 2]), s2);
            s3 = xr.fma(FloatVector.broadcast(SPECIES, yv[yi + 3]), s3);
        }
        int d0 = dw.row(o) + c;
        int ds = dw.stride();
        float[] dv = dw.data();
        (add ? s0.add(FloatVector.fromArray(SPECIES, dv, d0)) : s0).intoArray(dv, d0);
        (add ? s1.add(FloatVector.fromArray(SPECIES, dv, d0 + ds)) : s1).intoArray(dv, d0 + ds);
        (add ? s2.add(FloatVector.fromArray(SPECIES, dv, d0 + 2 * ds)) : s2).intoArray(dv, d0 + 2 * ds);
        (add ? s3.add(FloatVector.fromArray(SPECIES, dv, d0 + 3 * ds)) : s3).intoArray(dv, d0 + 3 * ds);
    }

    /** dw[o, c..c + LANES) += sum_r dy[r, o] x[r, c..c + LANES). */
    private static void outerOne(Matrix dy, int from, int to, int o, Matrix x, int c, Matrix dw, boolean add) {
        float[] yv = dy.data();
        float[] xv = x.data();
        int ys = dy.stride();
        int xs = x.stride();
        FloatVector s = FloatVector.zero(SPECIES);
        int yi = dy.row(from) + o;
        int xi = x.row(from) + c;
        for (int r = from; r < to; r++, yi += ys, xi += xs) {
            s = FloatVector.fromArray(SPECIES, xv, xi).fma(FloatVector.broadcast(SPECIES, yv[yi]), s);
        }
        int d = dw.row(o) + c;
        (add ? s.add(FloatVector.fromArray(SPECIES, dw.data(), d)) : s).intoArray(dw.data(), d);
    }

    /** out[0..width) = a[0..width) + b[0..width) (each from its own offset). */
    static void add(float[] a, int ai, float[] b, int bi, float[] out, int oi, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector.fromArray(SPECIES, a, ai + c).add(FloatVector.fromArray(SPECIES, b, bi + c)).intoArray(out, oi + c);
        }
    }

    /** sum_c a[c] * b[c] over [0, width). */
    static float dot(float[] a, int ai, float[] b, int bi, int width) {
        FloatVector s = FloatVector.zero(SPECIES);
        for (int c = 0; c < width; c += LANES) {
            s = FloatVector.fromArray(SPECIES, a, ai + c).fma(FloatVector.fromArray(SPECIES, b, bi + c), s);
        }
        return s.reduceLanes(VectorOperators.ADD);
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    private static final float ROUNDING = 12582912f;   // 1.5 * 2^23: adding it rounds to an integer
    private static final float EXP_FLOOR = -87f;       // below this e^x underflows f32's normal range: 0

    /**
     * e^x for x &lt;= 0 (softmax arguments after subtracting the max; -inf gives 0), within ~2 ulp: x = n ln2 + r
     * with |r| &lt;= ln2 / 2, e^r by Cephes' degree-7 minimax polynomial, 2^n built in the exponent bits. Made
     * of IEEE adds, multiplies and bit moves only, so it gives the same bits compiled or interpreted (the
     * Vector API's own EXP calls a different routine in each, which made runs differ).
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector clamped = x.max(EXP_FLOOR);
        FloatVector shifted = clamped.fma(LOG2E, ROUNDING);   // n + 1.5 * 2^23: n in the low mantissa bits
        FloatVector n = shifted.sub(ROUNDING);
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_HIGH), clamped);
        r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LOW), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(SPECIES, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(SPECIES, 5.0000001201e-1f));
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        // shifted's bits are bits(1.5 * 2^23) + n, whose low 9 bits are 0 but for n: shifting by 23 keeps n + 127
        FloatVector twoToN = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(twoToN).blend(0f, x.compare(VectorOperators.LT, EXP_FLOOR));
    }

    /** 0, 1, 2, ... as floats: lane indices. */
    private static final float[] LANE_INDEX = new float[LANES];

    static {
        for (int i = 0; i < LANES; i++) LANE_INDEX[i] = i;
    }

    /**
     * first, first + 1, ..., first + LANES - 1: lane positions, for masks. (The masks themselves are built where
     * they are used: a shared helper taking a mask or a comparison was not inlined into attention's softmax and
     * boxed its vectors, 131 KB per step at n_embd 16.)
     */
    static FloatVector laneIndices(float first) {
        return FloatVector.fromArray(SPECIES, LANE_INDEX, 0).add(first);
    }

    /** Sets a[0..width) to 0. */
    static void clear(float[] a, int ai, int width) {
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int c = 0; c < width; c += LANES) zero.intoArray(a, ai + c);
    }
}
