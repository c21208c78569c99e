package io.microgpt.core.tokenizer;

/**
 * Applies a {@link MergeTable} to one word, as Hugging Face's BPE model does: while two adjacent tokens have a
 * rule, join the pair whose rule ranks first, the leftmost such pair on a tie. Short words take a plain scan of
 * the pairs' ranks (quadratic, but with no setup); long ones a heap of (rank, position) over a linked list, which
 * is {@code O(n log n)}. Holds scratch arrays: not thread-safe, one per thread.
 */
final class WordMerger {
    /** Words up to this many tokens take the plain scan (faster than the heap for the words text is made of). */
    static final int SHORT_WORD = 32;

    private final MergeTable merges;
    private int[] ranks = new int[SHORT_WORD];
    private int[] next = new int[0];
    private int[] prev = new int[0];
    private long[] heap = new long[0];

    WordMerger(MergeTable merges) {
        this.merges = merges;
    }

    /** Merges {@code tokens[0, n)} in place and returns the new length. */
    int merge(int[] tokens, int n) {
        if (n < 2) return n;
        return n <= SHORT_WORD ? mergeShort(tokens, n) : mergeLong(tokens, n);
    }

    int mergeShort(int[] tokens, int n) {
        if (ranks.length < n) ranks = new int[n];
        int[] r = ranks;
        for (int i = 0; i < n - 1; i++) r[i] = merges.rank(tokens[i], tokens[i + 1]);
        while (n > 1) {
            int best = MergeTable.NONE;
            int at = -1;
            for (int i = 0; i < n - 1; i++) {
                if (r[i] < best) {
                    best = r[i];
                    at = i;
                }
            }
            if (at < 0) break;
            // join tokens[at], tokens[at + 1]; the pair ranks right of it move one place left
            tokens[at] = merges.result(best);
            System.arraycopy(tokens, at + 2, tokens, at + 1, n - at - 2);
            System.arraycopy(r, at + 2, r, at + 1, n - at - 3 > 0 ? n - at - 3 : 0);
            n--;
            if (at > 0) r[at - 1] = merges.rank(tokens[at - 1], tokens[at]);
            if (at < n - 1) r[at] = merges.rank(tokens[at], tokens[at + 1]);
        }
        return n;
    }

    int mergeLong(int[] tokens, int n) {
        if (next.length < n) {
            next = new int[n];
            prev = new int[n];
            heap = new long[n];
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            next[i] = i + 1;
            prev[i] = i - 1;
        }
        for (int i = 0; i < n - 1; i++) {
            int rank = merges.rank(tokens[i], tokens[i + 1]);
            if (rank != MergeTable.NONE) size = push(size, rank, i);
        }
        while (size > 0) {
            long top = heap[0];
            size = pop(size);
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (tokens[pos] < 0) continue;                        // joined into its left neighbour since
            int right = next[pos];
            if (right >= n || merges.rank(tokens[pos], tokens[right]) != rank) continue;   // pair changed since
            tokens[pos] = merges.result(rank);
            tokens[right] = -1;
            next[pos] = next[right];
            if (next[pos] < n) prev[next[pos]] = pos;
            if (prev[pos] >= 0) {
                int before = merges.rank(tokens[prev[pos]], tokens[pos]);
                if (before != MergeTable.NONE) size = push(size, before, prev[pos]);
            }
            if (next[pos] < n) {
                int after = merges.rank(tokens[pos], tokens[next[pos]]);
                if (after != MergeTable.NONE) size = push(size, after, pos);
            }
        }
        int kept = 0;
        for (int i = 0; i < n; i++) if (tokens[i] >= 0) tokens[kept++] = tokens[i];
        return kept;
    }

    /** Min-heap of {@code rank << 32 | position}: first rank, then leftmost. */
    private int push(int size, int rank, int pos) {
        if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2 + 4);
        long v = ((long) rank << 32) | pos;
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) break;
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private int pop(int size) {
        long last = heap[--size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1] < heap[child]) child++;
            if (heap[child] >= last) break;
            heap[i] = heap[child];
            i = child;
        }
        if (size > 0) heap[i] = last;
        return size;
    }
}
