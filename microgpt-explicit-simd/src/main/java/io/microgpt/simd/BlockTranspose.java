package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static io.microgpt.simd.VectorKernels.LANES;
import static io.microgpt.simd.VectorKernels.SPECIES;

/**
 * to[c, r] = from[r, c]: a matrix transposed a block at a time in registers. A block's row vectors go through
 * log2(lanes) rounds; round k swaps, in every pair of rows k apart, the k lanes of one with the k lanes of the
 * other (a permutation that moves lanes by k and a blend), which turns the rows into the block's columns.
 *
 * <p>16 x 16 blocks of 16-lane (512-bit) vectors ({@link #WORKS}): {@link CausalAttention} transposes a document's
 * queries and incoming gradient with them. {@link SimdWeights} refreshes the transposed weights with the blocks of
 * the vector width in use ({@link #transposeInBlocks}: 16 x 16 at 16 lanes, 8 x 8 at 8 lanes). Only that width: on
 * JDK 17 a process that also runs 256-bit vectors beside its 512-bit ones (8 x 8 blocks at 16 lanes) compiled the
 * 512-bit products without their intrinsics, a 7x slower training step (docs/bench-log.md, 2026-12-06). Stateless.
 */
final class BlockTranspose {
    /** Whether the vectors are 16 lanes wide (the only width {@link #transpose} is written for). */
    static final boolean WORKS = LANES == 16;
    /** Whether {@link #transposeInBlocks} works at this width: vectors of 16 or 8 lanes. */
    static final boolean IN_BLOCKS_WORKS = LANES == 16 || LANES == 8;
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    private static final VectorShuffle<Float> DOWN_BY_1 = shiftOfEight(-1);
    private static final VectorShuffle<Float> DOWN_BY_2 = shiftOfEight(-2);
    private static final VectorShuffle<Float> DOWN_BY_4 = shiftOfEight(-4);
    private static final VectorShuffle<Float> UP_BY_1 = shiftOfEight(1);
    private static final VectorShuffle<Float> UP_BY_2 = shiftOfEight(2);
    private static final VectorShuffle<Float> UP_BY_4 = shiftOfEight(4);
    /** Per round k = 1, 2, 4, 8: lane l takes lane l - k (for the lanes with bit k set) and l + k (bit k clear). */
    private static final VectorShuffle<Float> DOWN1 = shift(-1);
    private static final VectorShuffle<Float> DOWN2 = shift(-2);
    private static final VectorShuffle<Float> DOWN4 = shift(-4);
    private static final VectorShuffle<Float> DOWN8 = shift(-8);
    private static final VectorShuffle<Float> UP1 = shift(1);
    private static final VectorShuffle<Float> UP2 = shift(2);
    private static final VectorShuffle<Float> UP4 = shift(4);
    private static final VectorShuffle<Float> UP8 = shift(8);
    /** [k index * 16 + lane]: 1 where the lane has bit k set (masks are made by comparing these, as vectors). */
    private static final float[] BIT = new float[64];

    static {
        for (int k = 0; k < 4; k++) for (int lane = 0; lane < 16; lane++) BIT[k * 16 + lane] = (lane >> k & 1) == 1 ? 1 : 0;
    }

    private BlockTranspose() {
    }

    private static VectorShuffle<Float> shiftOfEight(int by) {
        int[] index = new int[8];
        for (int lane = 0; lane < 8; lane++) index[lane] = Math.floorMod(lane + by, 8);
        return VectorShuffle.fromArray(EIGHT, index, 0);
    }

    private static VectorShuffle<Float> shift(int by) {
        if (!WORKS) return null;
        int[] index = new int[LANES];
        for (int lane = 0; lane < LANES; lane++) index[lane] = Math.floorMod(lane + by, LANES);
        return VectorShuffle.fromArray(SPECIES, index, 0);
    }

    /**
     * to[to0 + c * toStride + r] = from[from0 + r * fromStride + c] for r &lt; rows, c &lt; cols; nothing else of the
     * target is written. Whole blocks of 16 rows read their rows as whole vectors (the 16 floats from column c0,
     * which the source must hold: its stride covers them).
     */
    static void transpose(float[] f, int from0, int fs, int rows, int cols, float[] t, int to0, int ts) {
        if (!WORKS) throw new IllegalStateException("16-lane vectors only, not " + LANES);
        VectorMask<Float> set1 = FloatVector.fromArray(SPECIES, BIT, 0).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> set2 = FloatVector.fromArray(SPECIES, BIT, 16).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> set4 = FloatVector.fromArray(SPECIES, BIT, 32).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> set8 = FloatVector.fromArray(SPECIES, BIT, 48).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> clear1 = set1.not();
        VectorMask<Float> clear2 = set2.not();
        VectorMask<Float> clear4 = set4.not();
        VectorMask<Float> clear8 = set8.not();
        int whole = rows / 16 * 16;
        for (int r0 = 0; r0 < whole; r0 += 16) {
            for (int c0 = 0; c0 < cols; c0 += 16) {
                int fi = from0 + r0 * fs + c0;
                FloatVector a0 = FloatVector.fromArray(SPECIES, f, fi);
                FloatVector a1 = FloatVector.fromArray(SPECIES, f, fi + fs);
                FloatVector a2 = FloatVector.fromArray(SPECIES, f, fi + 2 * fs);
                FloatVector a3 = FloatVector.fromArray(SPECIES, f, fi + 3 * fs);
                FloatVector a4 = FloatVector.fromArray(SPECIES, f, fi + 4 * fs);
                FloatVector a5 = FloatVector.fromArray(SPECIES, f, fi + 5 * fs);
                FloatVector a6 = FloatVector.fromArray(SPECIES, f, fi + 6 * fs);
                FloatVector a7 = FloatVector.fromArray(SPECIES, f, fi + 7 * fs);
                FloatVector a8 = FloatVector.fromArray(SPECIES, f, fi + 8 * fs);
                FloatVector a9 = FloatVector.fromArray(SPECIES, f, fi + 9 * fs);
                FloatVector a10 = FloatVector.fromArray(SPECIES, f, fi + 10 * fs);
                FloatVector a11 = FloatVector.fromArray(SPECIES, f, fi + 11 * fs);
                FloatVector a12 = FloatVector.fromArray(SPECIES, f, fi + 12 * fs);
                FloatVector a13 = FloatVector.fromArray(SPECIES, f, fi + 13 * fs);
                FloatVector a14 = FloatVector.fromArray(SPECIES, f, fi + 14 * fs);
                FloatVector a15 = FloatVector.fromArray(SPECIES, f, fi + 15 * fs);
                FloatVector x;
                // round 8: rows i and i + 8 swap their halves (top: lanes 8-15, bottom: lanes 0-7)
                x = a0.blend(a8.rearrange(DOWN8), set8); a8 = a8.blend(a0.rearrange(UP8), clear8); a0 = x;
                x = a1.blend(a9.rearrange(DOWN8), set8); a9 = a9.blend(a1.rearrange(UP8), clear8); a1 = x;
                x = a2.blend(a10.rearrange(DOWN8), set8); a10 = a10.blend(a2.rearrange(UP8), clear8); a2 = x;
                x = a3.blend(a11.rearrange(DOWN8), set8); a11 = a11.blend(a3.rearrange(UP8), clear8); a3 = x;
                x = a4.blend(a12.rearrange(DOWN8), set8); a12 = a12.blend(a4.rearrange(UP8), clear8); a4 = x;
                x = a5.blend(a13.rearrange(DOWN8), set8); a13 = a13.blend(a5.rearrange(UP8), clear8); a5 = x;
                x = a6.blend(a14.rearrange(DOWN8), set8); a14 = a14.blend(a6.rearrange(UP8), clear8); a6 = x;
                x = a7.blend(a15.rearrange(DOWN8), set8); a15 = a15.blend(a7.rearrange(UP8), clear8); a7 = x;
                // round 4: rows i and i + 4 within each group of 8
                x = a0.blend(a4.rearrange(DOWN4), set4); a4 = a4.blend(a0.rearrange(UP4), clear4); a0 = x;
                x = a1.blend(a5.rearrange(DOWN4), set4); a5 = a5.blend(a1.rearrange(UP4), clear4); a1 = x;
                x = a2.blend(a6.rearrange(DOWN4), set4); a6 = a6.blend(a2.rearrange(UP4), clear4); a2 = x;
                x = a3.blend(a7.rearrange(DOWN4), set4); a7 = a7.blend(a3.rearrange(UP4), clear4); a3 = x;
                x = a8.blend(a12.rearrange(DOWN4), set4); a12 = a12.blend(a8.rearrange(UP4), clear4); a8 = x;
                x = a9.blend(a13.rearrange(DOWN4), set4); a13 = a13.blend(a9.rearrange(UP4), clear4); a9 = x;
                x = a10.blend(a14.rearrange(DOWN4), set4); a14 = a14.blend(a10.rearrange(UP4), clear4); a10 = x;
                x = a11.blend(a15.rearrange(DOWN4), set4); a15 = a15.blend(a11.rearrange(UP4), clear4); a11 = x;
                // round 2
                x = a0.blend(a2.rearrange(DOWN2), set2); a2 = a2.blend(a0.rearrange(UP2), clear2); a0 = x;
                x = a1.blend(a3.rearrange(DOWN2), set2); a3 = a3.blend(a1.rearrange(UP2), clear2); a1 = x;
                x = a4.blend(a6.rearrange(DOWN2), set2); a6 = a6.blend(a4.rearrange(UP2), clear2); a4 = x;
                x = a5.blend(a7.rearrange(DOWN2), set2); a7 = a7.blend(a5.rearrange(UP2), clear2); a5 = x;
                x = a8.blend(a10.rearrange(DOWN2), set2); a10 = a10.blend(a8.rearrange(UP2), clear2); a8 = x;
                x = a9.blend(a11.rearrange(DOWN2), set2); a11 = a11.blend(a9.rearrange(UP2), clear2); a9 = x;
                x = a12.blend(a14.rearrange(DOWN2), set2); a14 = a14.blend(a12.rearrange(UP2), clear2); a12 = x;
                x = a13.blend(a15.rearrange(DOWN2), set2); a15 = a15.blend(a13.rearrange(UP2), clear2); a13 = x;
                // round 1
                x = a0.blend(a1.rearrange(DOWN1), set1); a1 = a1.blend(a0.rearrange(UP1), clear1); a0 = x;
                x = a2.blend(a3.rearrange(DOWN1), set1); a3 = a3.blend(a2.rearrange(UP1), clear1); a2 = x;
                x = a4.blend(a5.rearrange(DOWN1), set1); a5 = a5.blend(a4.rearrange(UP1), clear1); a4 = x;
                x = a6.blend(a7.rearrange(DOWN1), set1); a7 = a7.blend(a6.rearrange(UP1), clear1); a6 = x;
                x = a8.blend(a9.rearrange(DOWN1), set1); a9 = a9.blend(a8.rearrange(UP1), clear1); a8 = x;
                x = a10.blend(a11.rearrange(DOWN1), set1); a11 = a11.blend(a10.rearrange(UP1), clear1); a10 = x;
                x = a12.blend(a13.rearrange(DOWN1), set1); a13 = a13.blend(a12.rearrange(UP1), clear1); a12 = x;
                x = a14.blend(a15.rearrange(DOWN1), set1); a15 = a15.blend(a14.rearrange(UP1), clear1); a14 = x;
                int ti = to0 + c0 * ts + r0;
                int n = Math.min(16, cols - c0);
                a0.intoArray(t, ti);
                if (n > 1) a1.intoArray(t, ti + ts);
                if (n > 2) a2.intoArray(t, ti + 2 * ts);
                if (n > 3) a3.intoArray(t, ti + 3 * ts);
                if (n > 4) a4.intoArray(t, ti + 4 * ts);
                if (n > 5) a5.intoArray(t, ti + 5 * ts);
                if (n > 6) a6.intoArray(t, ti + 6 * ts);
                if (n > 7) a7.intoArray(t, ti + 7 * ts);
                if (n > 8) a8.intoArray(t, ti + 8 * ts);
                if (n > 9) a9.intoArray(t, ti + 9 * ts);
                if (n > 10) a10.intoArray(t, ti + 10 * ts);
                if (n > 11) a11.intoArray(t, ti + 11 * ts);
                if (n > 12) a12.intoArray(t, ti + 12 * ts);
                if (n > 13) a13.intoArray(t, ti + 13 * ts);
                if (n > 14) a14.intoArray(t, ti + 14 * ts);
                if (n > 15) a15.intoArray(t, ti + 15 * ts);
            }
        }
        // the rows past the last whole block one element at a time (a vector chosen between a load and zeros would be
        // boxed by JDK 17's compiler)
        for (int r = whole; r < rows; r++) {
            int fi = from0 + r * fs;
            int ti = to0 + r;
            for (int c = 0; c < cols; c++, ti += ts) t[ti] = f[fi + c];
        }
    }

    /**
     * {@link #transpose} at 16 lanes, {@link #transposeByEight} at 8 ({@link #IN_BLOCKS_WORKS}): blocks of the vector
     * width in use. Whole blocks read a block's width of floats of a row from column c0 on (the stride covers them).
     */
    static void transposeInBlocks(float[] f, int from0, int fs, int rows, int cols, float[] t, int to0, int ts) {
        if (LANES == 16) {
            transpose(f, from0, fs, rows, cols, t, to0, ts);
        } else if (LANES == 8) {
            transposeByEight(f, from0, fs, rows, cols, t, to0, ts);
        } else {
            throw new IllegalStateException("16- or 8-lane vectors only, not " + LANES);
        }
    }

    /**
     * to[to0 + c * ts + r] = from[from0 + r * fs + c] for r &lt; rows, c &lt; cols, 8 x 8 blocks of 256-bit vectors;
     * nothing else of the target is written. Whole blocks of 8 rows read 8 floats of a row from column c0 on, which
     * the source must hold (its stride covers them).
     */
    static void transposeByEight(float[] f, int from0, int fs, int rows, int cols, float[] t, int to0, int ts) {
        VectorMask<Float> set1 = FloatVector.fromArray(EIGHT, BIT, 0).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> set2 = FloatVector.fromArray(EIGHT, BIT, 16).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> set4 = FloatVector.fromArray(EIGHT, BIT, 32).compare(VectorOperators.EQ, 1f);
        VectorMask<Float> clear1 = set1.not();
        VectorMask<Float> clear2 = set2.not();
        VectorMask<Float> clear4 = set4.not();
        int whole = rows / 8 * 8;
        for (int r0 = 0; r0 < whole; r0 += 8) {
            for (int c0 = 0; c0 < cols; c0 += 8) {
                int fi = from0 + r0 * fs + c0;
                FloatVector a0 = FloatVector.fromArray(EIGHT, f, fi);
                FloatVector a1 = FloatVector.fromArray(EIGHT, f, fi + fs);
                FloatVector a2 = FloatVector.fromArray(EIGHT, f, fi + 2 * fs);
                FloatVector a3 = FloatVector.fromArray(EIGHT, f, fi + 3 * fs);
                FloatVector a4 = FloatVector.fromArray(EIGHT, f, fi + 4 * fs);
                FloatVector a5 = FloatVector.fromArray(EIGHT, f, fi + 5 * fs);
                FloatVector a6 = FloatVector.fromArray(EIGHT, f, fi + 6 * fs);
                FloatVector a7 = FloatVector.fromArray(EIGHT, f, fi + 7 * fs);
                FloatVector x;
                x = a0.blend(a4.rearrange(DOWN_BY_4), set4); a4 = a4.blend(a0.rearrange(UP_BY_4), clear4); a0 = x;
                x = a1.blend(a5.rearrange(DOWN_BY_4), set4); a5 = a5.blend(a1.rearrange(UP_BY_4), clear4); a1 = x;
                x = a2.blend(a6.rearrange(DOWN_BY_4), set4); a6 = a6.blend(a2.rearrange(UP_BY_4), clear4); a2 = x;
                x = a3.blend(a7.rearrange(DOWN_BY_4), set4); a7 = a7.blend(a3.rearrange(UP_BY_4), clear4); a3 = x;
                x = a0.blend(a2.rearrange(DOWN_BY_2), set2); a2 = a2.blend(a0.rearrange(UP_BY_2), clear2); a0 = x;
                x = a1.blend(a3.rearrange(DOWN_BY_2), set2); a3 = a3.blend(a1.rearrange(UP_BY_2), clear2); a1 = x;
                x = a4.blend(a6.rearrange(DOWN_BY_2), set2); a6 = a6.blend(a4.rearrange(UP_BY_2), clear2); a4 = x;
                x = a5.blend(a7.rearrange(DOWN_BY_2), set2); a7 = a7.blend(a5.rearrange(UP_BY_2), clear2); a5 = x;
                x = a0.blend(a1.rearrange(DOWN_BY_1), set1); a1 = a1.blend(a0.rearrange(UP_BY_1), clear1); a0 = x;
                x = a2.blend(a3.rearrange(DOWN_BY_1), set1); a3 = a3.blend(a2.rearrange(UP_BY_1), clear1); a2 = x;
                x = a4.blend(a5.rearrange(DOWN_BY_1), set1); a5 = a5.blend(a4.rearrange(UP_BY_1), clear1); a4 = x;
                x = a6.blend(a7.rearrange(DOWN_BY_1), set1); a7 = a7.blend(a6.rearrange(UP_BY_1), clear1); a6 = x;
                int ti = to0 + c0 * ts + r0;
                int n = Math.min(8, cols - c0);
                a0.intoArray(t, ti);
                if (n > 1) a1.intoArray(t, ti + ts);
                if (n > 2) a2.intoArray(t, ti + 2 * ts);
                if (n > 3) a3.intoArray(t, ti + 3 * ts);
                if (n > 4) a4.intoArray(t, ti + 4 * ts);
                if (n > 5) a5.intoArray(t, ti + 5 * ts);
                if (n > 6) a6.intoArray(t, ti + 6 * ts);
                if (n > 7) a7.intoArray(t, ti + 7 * ts);
            }
        }
        for (int r = whole; r < rows; r++) {
            int fi = from0 + r * fs;
            int ti = to0 + r;
            for (int c = 0; c < cols; c++, ti += ts) t[ti] = f[fi + c];
        }
    }
}
