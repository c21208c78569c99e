package io.microgpt.core.tokenizer;

/**
 * The merge rules of a BPE in rank order (rank 0 is applied first): rule {@code r} joins the adjacent tokens
 * {@code left(r)}, {@code right(r)} into {@code result(r)}. Looking up the rank of a pair is one probe or a few in an
 * open-addressing table keyed by the pair packed into a {@code long}. Immutable; thread-safe.
 */
final class MergeTable {
    static final int NONE = Integer.MAX_VALUE;

    private final int[] left;
    private final int[] right;
    private final int[] result;
    private final long[] keys;
    private final int[] ranks;
    private final int shift;

    /** The rules in rank order; each pair at most once. */
    MergeTable(int[] left, int[] right, int[] result) {
        this.left = left.clone();
        this.right = right.clone();
        this.result = result.clone();
        int capacity = Integer.highestOneBit(Math.max(4, left.length * 2 + 1)) << 1;
        this.shift = 64 - Integer.numberOfTrailingZeros(capacity);
        this.keys = new long[capacity];
        this.ranks = new int[capacity];
        java.util.Arrays.fill(keys, -1L);
        for (int r = 0; r < left.length; r++) {
            long key = key(left[r], right[r]);
            int slot = slot(key);
            while (keys[slot] != -1L) {
                if (keys[slot] == key) throw new IllegalArgumentException("pair repeated at rank " + r);
                slot = (slot + 1) & (capacity - 1);
            }
            keys[slot] = key;
            ranks[slot] = r;
        }
    }

    /** The rank of the rule joining {@code a} then {@code b}, or {@link #NONE}. */
    int rank(int a, int b) {
        long key = key(a, b);
        int mask = keys.length - 1;
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) return ranks[slot];
            if (k == -1L) return NONE;
        }
    }

    int size() {
        return left.length;
    }

    int left(int rank) {
        return left[rank];
    }

    int right(int rank) {
        return right[rank];
    }

    int result(int rank) {
        return result[rank];
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
