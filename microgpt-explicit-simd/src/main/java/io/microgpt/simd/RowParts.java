package io.microgpt.simd;

/**
 * The rows in {@link BatchBuffers} cut into parts: part i is rows [start[i], start[i + 1]). A part is the unit
 * whose weight gradient is summed over its rows in registers and then added to the gradient once; the parts
 * are added in order, the first writing unless {@link #addToFirst} ({@link WeightGradient}). How a batch is cut into
 * parts fixes the gradient's bits; which thread computes which element does not change them.
 */
final class RowParts {
    /** Part boundaries (entry {@link #count} is the end of the last part). */
    final int[] start;
    /** Parts in use. */
    int count;
    /** Whether the first part adds to the gradient too (it holds earlier chunks' parts) or writes it. */
    boolean addToFirst;

    RowParts(int maxParts) {
        start = new int[maxParts + 1];
    }

    /** One part: rows [from, to). */
    RowParts set(int from, int to, boolean add) {
        count = 1;
        start[0] = from;
        start[1] = to;
        addToFirst = add;
        return this;
    }

    /** Whether part i adds to the gradient (else writes it). */
    boolean adds(int i) {
        return addToFirst || i > 0;
    }
}
