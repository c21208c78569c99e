package io.microgpt.core.tokenizer;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Setting;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Learns a byte-level BPE from text: the same vocabulary and merges as Hugging Face {@code tokenizers}' BpeTrainer
 * with {@code initial_alphabet=ByteLevel.alphabet()} and the ByteLevel pre-tokenizer (add_prefix_space false,
 * use_regex as {@code splitWords}), the BOS token then added as a special token.
 *
 * <h2>The algorithm</h2>
 * Each text is split into words ({@link Gpt2Pattern}, or the whole text is one word) and the distinct words are
 * counted. The 256 bytes are the first tokens, in the order of their GPT-2 stand-in characters ({@link ByteLevel}:
 * {@code !} is 0, ..., {@code Ġ} (space) is 220), so ids match Python's. Then, until the vocabulary holds
 * {@code vocabSize} tokens or no pair is left: take the most frequent adjacent pair, append the token it makes
 * (unless a token with those bytes exists already, which can happen when two pairs spell the same bytes: then that
 * id serves and the vocabulary does not grow) and join the pair in the words where it occurs.
 *
 * <p>Pair counts are computed once; a merge updates them only for the words it changes, and a queue ordered by
 * count finds the next pair (entries whose count went stale are put back with the current count when they come
 * up). As in tokenizers, each queue entry carries the words its pair was seen in when the entry was made, and a
 * merge joins the pair in those words; a pair that a later merge creates in other words gets an entry of its own.
 *
 * <h2>Ties</h2>
 * Equal counts go to the pair whose left token id is smaller, then whose right token id is smaller (tokenizers'
 * order). Two entries of one pair with one count (which only same-spelled tokens can make) go oldest first, a
 * choice tokenizers leaves to its heap. Training is deterministic: the same texts give the same merges.
 *
 * <h2>Vocabulary size</h2>
 * {@code vocabSize} counts the bytes and the merged tokens, not BOS: the tokenizer has {@code vocabSize + 1} ids
 * (fewer when the text runs out of pairs first). 256 means bytes only.
 *
 * <p>Instances are immutable and thread-safe; each {@link #train} call works on its own state.
 */
public final class BpeTrainer {
    /** The smallest vocabulary: the 256 byte values. */
    public static final int MIN_VOCAB_SIZE = 256;
    /** The largest vocabulary: its ids and BOS fit in two bytes (0..65535). */
    public static final int MAX_VOCAB_SIZE = 65535;
    /** The BOS token's text in the files we write. */
    public static final String DEFAULT_BOS = "<|bos|>";
    /** The vocabulary size a run learns unless told otherwise (BOS not counted). */
    public static final int DEFAULT_VOCAB_SIZE = 1024;
    /** Whether texts are split by GPT-2's pattern unless told otherwise. */
    public static final boolean DEFAULT_SPLIT_WORDS = true;

    private final int vocabSize;
    private final boolean splitWords;

    /**
     * @param vocabSize  tokens to learn, bytes included and BOS not ({@value #MIN_VOCAB_SIZE}..{@value #MAX_VOCAB_SIZE})
     * @param splitWords whether texts are first split into words by GPT-2's pattern (else each text is one word)
     */
    public BpeTrainer(int vocabSize, boolean splitWords) {
        checkVocabSize(vocabSize, Setting::described);
        this.vocabSize = vocabSize;
        this.splitWords = splitWords;
    }

    /** The size must be {@value #MIN_VOCAB_SIZE}..{@value #MAX_VOCAB_SIZE}; a {@link MicrogptException} naming it as {@code name} says so otherwise. */
    public static void checkVocabSize(int vocabSize, Function<Setting, String> name) {
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new MicrogptException(name.apply(Setting.VOCAB_SIZE) + " " + vocabSize + " is out of range: a byte-level BPE"
                    + " has " + MIN_VOCAB_SIZE + " (the bytes) to " + MAX_VOCAB_SIZE + " tokens (BOS not counted)");
        }
    }

    /** Learns from these texts; each is split into words on its own (words never span two texts). */
    public BpeTokenizer train(Iterable<String> texts) {
        WordCounts counts = new WordCounts();
        for (String text : texts) addWords(counts, text);
        return new Learner(counts, vocabSize).run(splitWords);
    }

    private void addWords(WordCounts counts, String text) {
        int end = text.length();
        if (end == 0) return;
        if (!splitWords) {
            counts.add(text, 0, end);
            return;
        }
        for (int i = 0; i < end; ) {
            int j = Gpt2Pattern.pieceEnd(text, i, end);
            counts.add(text, i, j);
            i = j;
        }
    }

    /** One training run's state. */
    private static final class Learner {
        private final int target;
        // the words: symbols of word w are sym[start[w], start[w] + length[w])
        private final int[] start;
        private final int[] length;
        private final int[] sym;
        private final long[] wordCount;
        // the tokens
        private final List<byte[]> tokens = new ArrayList<>();
        private final Map<String, Integer> tokenIds = new HashMap<>();
        // the pairs
        private final PairTable pairs = new PairTable();
        // the merges made, in order (a pair may be merged more than once, see the class comment)
        private int[] eventPair = new int[64];
        private int[] eventResult = new int[64];
        private int events;
        // words where each pair appeared during the current merge (tokenizers' where_to_update)
        private final IntList touched = new IntList();
        private long stamp;
        private long sequence;

        Learner(WordCounts counts, int target) {
            this.target = target;
            int n = counts.size();
            start = new int[n];
            length = new int[n];
            wordCount = new long[n];
            int[] baseId = baseIds();
            byte[] buffer = new byte[64];
            IntList symbols = new IntList();
            for (int w = 0; w < n; w++) {
                String word = counts.word(w);
                if (buffer.length < 3 * word.length()) buffer = new byte[3 * word.length()];
                int bytes = Utf8.encode(word, 0, word.length(), buffer);
                start[w] = symbols.size();
                length[w] = bytes;
                wordCount[w] = counts.count(w);
                for (int k = 0; k < bytes; k++) symbols.add(baseId[buffer[k] & 0xFF]);
            }
            sym = symbols.toArray();
            for (int id = 0; id < 256; id++) {
                byte[] b = {(byte) byteOfBaseId(id)};
                tokens.add(b);
                tokenIds.put(key(b), id);
            }
        }

        BpeTokenizer run(boolean splitWords) {
            PriorityQueue<Entry> queue = new PriorityQueue<>(Learner::compare);
            countPairs(queue);
            while (tokens.size() < target) {
                Entry top = queue.poll();
                if (top == null) break;
                long current = pairs.count[top.pair];
                if (top.count != current) {
                    top.count = current;
                    top.sequence = sequence++;
                    queue.add(top);
                    continue;
                }
                if (top.count < 1) break;
                int a = pairs.left[top.pair];
                int b = pairs.right[top.pair];
                int made = token(a, b);
                recordEvent(top.pair, made);
                stamp++;
                touched.clear();
                for (int w : top.words) mergeWord(w, a, b, made);
                for (int i = 0; i < touched.size(); i++) {
                    int p = touched.get(i);
                    int[] words = Arrays.copyOf(pairs.pendingWords[p], pairs.pendingSize[p]);
                    pairs.pendingSize[p] = 0;
                    if (pairs.count[p] > 0) queue.add(entry(p, words));
                }
            }
            return tokenizer(splitWords);
        }

        /** tokenizers' order: larger count first, then smaller (left, right), then (ours) older entry. */
        private static int compare(Entry x, Entry y) {
            if (x.count != y.count) return Long.compare(y.count, x.count);
            if (x.left != y.left) return Integer.compare(x.left, y.left);
            if (x.right != y.right) return Integer.compare(x.right, y.right);
            return Long.compare(x.sequence, y.sequence);
        }

        /** All pairs' counts and the words each occurs in, then one queue entry per pair. */
        private void countPairs(PriorityQueue<Entry> queue) {
            int[] occurrences = new int[16];
            for (int w = 0; w < start.length; w++) {
                for (int i = start[w]; i < start[w] + length[w] - 1; i++) {
                    int p = pairs.id(sym[i], sym[i + 1]);
                    pairs.count[p] += wordCount[w];
                    if (pairs.mark[p] != w + 1L) {
                        pairs.mark[p] = w + 1L;
                        if (p >= occurrences.length) occurrences = Arrays.copyOf(occurrences, 2 * p + 2);
                        occurrences[p]++;
                    }
                }
            }
            int[][] words = new int[pairs.size][];
            for (int p = 0; p < pairs.size; p++) {
                words[p] = new int[occurrences[p]];
                occurrences[p] = 0;
                pairs.mark[p] = 0;
            }
            for (int w = 0; w < start.length; w++) {
                for (int i = start[w]; i < start[w] + length[w] - 1; i++) {
                    int p = pairs.id(sym[i], sym[i + 1]);
                    if (pairs.mark[p] != w + 1L) {
                        pairs.mark[p] = w + 1L;
                        words[p][occurrences[p]++] = w;
                    }
                }
            }
            for (int p = 0; p < pairs.size; p++) {
                pairs.mark[p] = -1;
                if (pairs.count[p] > 0) queue.add(entry(p, words[p]));
            }
        }

        private Entry entry(int p, int[] words) {
            return new Entry(p, pairs.left[p], pairs.right[p], pairs.count[p], words, sequence++);
        }

        /**
         * Joins every (a, b) in word w, left to right, into {@code made}, and books the pairs this creates and
         * destroys next to each joined pair. As in tokenizers, the joined pair's own count is left as it was: it
         * is only read again if the pair comes up in the queue once more.
         */
        private void mergeWord(int w, int a, int b, int made) {
            int s = start[w];
            int n = length[w];
            int out = 0;
            int r = 0;
            while (r < n) {
                if (sym[s + r] == a && r + 1 < n && sym[s + r + 1] == b) {
                    if (out > 0) {
                        int before = sym[s + out - 1];
                        change(before, a, -1, w);
                        change(before, made, +1, w);
                    }
                    sym[s + out++] = made;
                    r += 2;
                    if (r < n) {
                        int after = sym[s + r];
                        change(b, after, -1, w);
                        change(made, after, +1, w);
                    }
                } else {
                    sym[s + out++] = sym[s + r++];
                }
            }
            length[w] = out;
        }

        private void change(int x, int y, int delta, int w) {
            int p = pairs.id(x, y);
            pairs.count[p] += delta * wordCount[w];
            if (delta > 0) {
                long mark = (stamp << 32) | w;
                if (pairs.mark[p] == mark) return;
                pairs.mark[p] = mark;
                if (pairs.pendingSize[p] == 0) touched.add(p);
                pairs.addPending(p, w);
            }
        }

        /** The id of the token a and b make: an existing one with those bytes, else a new one. */
        private int token(int a, int b) {
            byte[] x = tokens.get(a);
            byte[] y = tokens.get(b);
            byte[] joined = Arrays.copyOf(x, x.length + y.length);
            System.arraycopy(y, 0, joined, x.length, y.length);
            String k = key(joined);
            Integer id = tokenIds.get(k);
            if (id != null) return id;
            tokens.add(joined);
            tokenIds.put(k, tokens.size() - 1);
            return tokens.size() - 1;
        }

        private void recordEvent(int pair, int made) {
            if (events == eventPair.length) {
                eventPair = Arrays.copyOf(eventPair, events * 2);
                eventResult = Arrays.copyOf(eventResult, events * 2);
            }
            eventPair[events] = pair;
            eventResult[events] = made;
            events++;
        }

        /** The merges in order; a pair merged more than once keeps its last place (tokenizers' model does). */
        private BpeTokenizer tokenizer(boolean splitWords) {
            int[] last = new int[pairs.size];
            for (int e = 0; e < events; e++) last[eventPair[e]] = e;
            IntList left = new IntList();
            IntList right = new IntList();
            IntList result = new IntList();
            for (int e = 0; e < events; e++) {
                if (last[eventPair[e]] != e) continue;
                left.add(pairs.left[eventPair[e]]);
                right.add(pairs.right[eventPair[e]]);
                result.add(eventResult[e]);
            }
            MergeTable merges = new MergeTable(left.toArray(), right.toArray(), result.toArray());
            return BpeTokenizer.trained(tokens, merges, splitWords, DEFAULT_BOS);
        }

        private static String key(byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** Base token id of each byte: the rank of its stand-in character among the 256. */
        private static int[] baseIds() {
            int[] ids = new int[256];
            for (int id = 0; id < 256; id++) ids[byteOfBaseId(id)] = id;
            return ids;
        }

        private static final int[] BYTE_OF_BASE_ID = sortedBytes();

        private static int byteOfBaseId(int id) {
            return BYTE_OF_BASE_ID[id];
        }

        private static int[] sortedBytes() {
            Integer[] bytes = new Integer[256];
            for (int b = 0; b < 256; b++) bytes[b] = b;
            Arrays.sort(bytes, (x, y) -> Character.compare(ByteLevel.charOf(x), ByteLevel.charOf(y)));
            int[] out = new int[256];
            for (int i = 0; i < 256; i++) out[i] = bytes[i];
            return out;
        }
    }

    /** A queue entry: a pair, its count when queued and the words to join it in. */
    private static final class Entry {
        final int pair;
        final int left;
        final int right;
        final int[] words;
        long count;
        long sequence;

        Entry(int pair, int left, int right, long count, int[] words, long sequence) {
            this.pair = pair;
            this.left = left;
            this.right = right;
            this.count = count;
            this.words = words;
            this.sequence = sequence;
        }
    }
}
