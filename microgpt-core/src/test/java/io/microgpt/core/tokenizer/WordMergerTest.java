package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both ways of merging a word (plain scan, heap) against a naive oracle, on random rules over a small alphabet. */
class WordMergerTest {
    @Test
    void scanAndHeapAgreeWithTheNaiveRule() {
        for (long seed = 1; seed <= 2000; seed++) agree(seed);
    }

    private static void agree(long seed) {
        Random random = new Random(seed);
        int length = random.nextInt(121);
        int alphabet = 2 + random.nextInt(5);
        int rules = random.nextInt(40);
        int[] left = new int[rules];
        int[] right = new int[rules];
        int[] result = new int[rules];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int made = 0;
        for (int r = 0; r < rules; r++) {
            int tokens = alphabet + made;
            int a = random.nextInt(tokens);
            int b = random.nextInt(tokens);
            if (!seen.add(((long) a << 32) | b)) {
                r--;
                rules--;
                left = Arrays.copyOf(left, rules);
                right = Arrays.copyOf(right, rules);
                result = Arrays.copyOf(result, rules);
                continue;
            }
            left[r] = a;
            right[r] = b;
            result[r] = random.nextInt(4) == 0 && made > 0 ? alphabet + random.nextInt(made) : alphabet + made++;
        }
        MergeTable table = new MergeTable(left, right, result);
        int[] word = new int[length];
        for (int i = 0; i < length; i++) word[i] = random.nextInt(alphabet);

        List<Integer> expected = naive(word, left, right, result);
        WordMerger merger = new WordMerger(table);
        int[] scan = word.clone();
        int[] heap = word.clone();
        int n1 = merger.mergeShort(scan, scan.length);
        int n2 = length < 2 ? length : merger.mergeLong(heap, heap.length);
        assertEquals(expected, boxed(scan, n1), "scan, seed " + seed);
        assertEquals(expected, boxed(heap, n2), "heap, seed " + seed);
    }

    /** While some adjacent pair has a rule: join the leftmost pair of the first-ranked rule present. */
    private static List<Integer> naive(int[] word, int[] left, int[] right, int[] result) {
        List<Integer> w = new ArrayList<>(boxed(word, word.length));
        while (true) {
            int bestRank = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < w.size(); i++) {
                for (int r = 0; r < left.length && r < bestRank; r++) {
                    if (left[r] == w.get(i) && right[r] == w.get(i + 1)) {
                        bestRank = r;
                        at = i;
                    }
                }
            }
            if (at < 0) return w;
            w.set(at, result[bestRank]);
            w.remove(at + 1);
        }
    }

    private static List<Integer> boxed(int[] a, int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(a[i]);
        return out;
    }
}
