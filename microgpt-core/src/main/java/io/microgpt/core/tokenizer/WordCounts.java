package io.microgpt.core.tokenizer;

import java.util.Arrays;

/**
 * How often each distinct word (pre-token) occurs in the training text, in order of first appearance. An
 * open-addressing table keyed by the word's characters, looked up straight from the text (no substring per
 * occurrence; one per distinct word). Not thread-safe.
 */
final class WordCounts {
    private String[] keys = new String[1 << 12];
    private int[] hashes = new int[1 << 12];
    private int[] slotOrder = new int[1 << 12];   // slot -> index of the word in first-appearance order
    private String[] words = new String[1 << 11];
    private long[] counts = new long[1 << 11];
    private int size;

    /** Counts one occurrence of {@code text[start, end)} (non-empty). */
    void add(String text, int start, int end) {
        int hash = hash(text, start, end);
        int mask = keys.length - 1;
        int len = end - start;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key == null) {
                insert(slot, text.substring(start, end), hash);
                return;
            }
            if (hashes[slot] == hash && key.length() == len && key.regionMatches(0, text, start, len)) {
                counts[slotOrder[slot]]++;
                return;
            }
        }
    }

    int size() {
        return size;
    }

    String word(int i) {
        return words[i];
    }

    long count(int i) {
        return counts[i];
    }

    private void insert(int slot, String word, int hash) {
        if (size == words.length) {
            words = Arrays.copyOf(words, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        keys[slot] = word;
        hashes[slot] = hash;
        slotOrder[slot] = size;
        words[size] = word;
        counts[size] = 1;
        size++;
        if (size * 2 > keys.length) grow();
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldHashes = hashes;
        int[] oldOrder = slotOrder;
        keys = new String[oldKeys.length * 2];
        hashes = new int[keys.length];
        slotOrder = new int[keys.length];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] == null) continue;
            int slot = oldHashes[i] & mask;
            while (keys[slot] != null) slot = (slot + 1) & mask;
            keys[slot] = oldKeys[i];
            hashes[slot] = oldHashes[i];
            slotOrder[slot] = oldOrder[i];
        }
    }

    private static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + text.charAt(i);
        h ^= h >>> 16;   // murmur3's finaliser, so that the low bits (the slot) depend on every character
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
