package io.microgpt.core.tokenizer;

import java.util.Arrays;

/**
 * The adjacent-token pairs a BPE training run has met, each with a dense id: its tokens, its count over all words
 * (weighted by the words' counts), a mark for de-duplicating words, and the words it appeared in during the
 * current merge. Open addressing keyed by the pair packed into a {@code long}. Not thread-safe.
 */
final class PairTable {
    int size;
    int[] left = new int[1024];
    int[] right = new int[1024];
    long[] count = new long[1024];
    long[] mark = new long[1024];
    int[][] pendingWords = new int[1024][];
    int[] pendingSize = new int[1024];
    private long[] keys = new long[2048];
    private int[] ids = new int[2048];
    private int shift = 64 - 11;

    PairTable() {
        Arrays.fill(keys, -1L);
    }

    /** The id of pair (a, b), made with count 0 if new. */
    int id(int a, int b) {
        long key = ((long) a << 32) | b;
        int mask = keys.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        while (true) {
            long k = keys[slot];
            if (k == key) return ids[slot];
            if (k == -1L) break;
            slot = (slot + 1) & mask;
        }
        if (size == left.length) growPairs();
        int id = size++;
        left[id] = a;
        right[id] = b;
        mark[id] = -1;
        keys[slot] = key;
        ids[slot] = id;
        if (size * 2 > keys.length) growTable();
        return id;
    }

    void addPending(int p, int word) {
        int[] words = pendingWords[p];
        if (words == null) pendingWords[p] = words = new int[4];
        else if (pendingSize[p] == words.length) pendingWords[p] = words = Arrays.copyOf(words, words.length * 2);
        words[pendingSize[p]++] = word;
    }

    private void growPairs() {
        int n = left.length * 2;
        left = Arrays.copyOf(left, n);
        right = Arrays.copyOf(right, n);
        count = Arrays.copyOf(count, n);
        mark = Arrays.copyOf(mark, n);
        pendingWords = Arrays.copyOf(pendingWords, n);
        pendingSize = Arrays.copyOf(pendingSize, n);
    }

    private void growTable() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        keys = new long[oldKeys.length * 2];
        ids = new int[keys.length];
        Arrays.fill(keys, -1L);
        shift--;
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] == -1L) continue;
            int slot = (int) ((oldKeys[i] * 0x9E3779B97F4A7C15L) >>> shift);
            while (keys[slot] != -1L) slot = (slot + 1) & mask;
            keys[slot] = oldKeys[i];
            ids[slot] = oldIds[i];
        }
    }
}
