package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shape every kernel of this package uses ({@link #SPECIES}, {@link #LANES}, {@link #padded}) and the
 * vector maths around the products ({@link Gemm}): adds, dot products (their lanes summed by {@link LaneSums}), the
 * softmax's exponential, lane positions.
 */
final class VectorKernels {
    /**
     * The widest float vector of this CPU, or a narrower one if the system property
     * {@code microgpt.simd.bits} (128 or 256) asks for it (to measure or test as on a narrower CPU).
     */
    static final VectorSpecies<Float> SPECIES = species(Integer.getInteger("microgpt.simd.bits", 0));
    /** Floats per vector. */
    static final int LANES = SPECIES.length();

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

    /** n rounded up to a whole number of vectors. */
    static int padded(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /** out[0..width) = a[0..width) + b[0..width) (each from its own offset). */
    static void add(float[] a, int ai, float[] b, int bi, float[] out, int oi, int width) {
        for (int c = 0; c < width; c += LANES) {
            FloatVector.fromArray(SPECIES, a, ai + c).add(FloatVector.fromArray(SPECIES, b, bi + c)).intoArray(out, oi + c);
        }
    }

    /** sum_c a[c] * b[c] over [0, width): a fused multiply-add per lane, the lanes then added in lane order. */
    static float dot(float[] a, int ai, float[] b, int bi, int width) {
        FloatVector s = FloatVector.zero(SPECIES);
        for (int c = 0; c < width; c += LANES) {
            s = FloatVector.fromArray(SPECIES, a, ai + c).fma(FloatVector.fromArray(SPECIES, b, bi + c), s);
        }
        // as LaneSums.sumInLaneOrder(s), written out: a vector passed to a call that is not inlined is boxed (allocates)
        if (LaneSums.REDUCE_IN_LANE_ORDER) return s.reduceLanes(VectorOperators.ADD);
        float[] lanes = LaneSums.laneSpill();
        s.intoArray(lanes, 0);
        return LaneSums.sumInOrder(lanes);
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
