package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.MicrogptException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    /** Base ids follow GPT-2's stand-in characters: '!' (0x21) is 0, so a letter's id is its code less 0x21. */
    private static final int A = 'a' - 0x21;
    private static final int B = 'b' - 0x21;
    private static final int C = 'c' - 0x21;
    private static final int D = 'd' - 0x21;

    /**
     * "aaabdaaabac" as one word, worked by hand (Python's tokenizers agrees, see make_fixtures.py's settings):
     * <pre>
     * pairs: aa 4 (overlapping pairs count), ab 2, bd 1, da 1, ba 1, ac 1
     * 1. aa (4)            -> 256 "aa":    Z a b d Z a b a c     (the aaa runs join leftmost first)
     * 2. ab (2), which beats Za (2) on the tie: pair (97-33, 98-33) is smaller than (256, 64)
     *                      -> 257 "ab":    Z Y d Z Y a c
     * 3. Za is stale (0 now); ZY (2)       -> 258 "aaab":  X d X a c
     * 4. count 1 everywhere: ac = (64, 66) is the smallest pair  -> 259 "ac":    X d X W
     * 5. stale ba, bd, da, dZ put back with 0; dX (67, 258)      -> 260 "daaab": X V W
     * 6. XV (258, 260) beats VW (260, 259)                        -> 261 "aaabdaaab"
     * </pre>
     */
    @Test
    void workedExampleGivesTheHandCheckedMerges() {
        BpeTokenizer t = new BpeTrainer(262, false).train(List.of("aaabdaaabac"));
        assertEquals(List.of("a a", "a b", "aa ab", "a c", "d aaab", "aaab daaab"), merges(t));
        assertEquals(List.of("aa", "ab", "aaab", "ac", "daaab", "aaabdaaab"), tokensFrom(t, 256));
        assertEquals(263, t.vocabSize(), "262 tokens and BOS");
        assertEquals(262, t.bos(), "BOS takes the last id");
        assertArrayEquals(new int[] {261, 259}, t.encode("aaabdaaabac"));
        assertArrayEquals(new int[] {259, B, D}, t.encode("acbd"));
        assertArrayEquals(new int[] {D, C, B, A}, t.encode("dcba"), "no rule for dc, cb or ba");
        assertArrayEquals(new int[] {257, C, D}, t.encode("abcd"));
    }

    @Test
    void theSamePatternSplitGivesTheSameMergesForTheExample() {
        BpeTokenizer t = new BpeTrainer(262, true).train(List.of("aaabdaaabac"));
        assertEquals(List.of("a a", "a b", "aa ab", "a c", "d aaab", "aaab daaab"), merges(t));
    }

    @Test
    void trainingTwiceGivesTheSameFile() {
        String text = Fixtures.mixed() + Fixtures.bundledNames();
        for (boolean split : new boolean[] {true, false}) {
            List<String> texts = Fixtures.linesKeepingBreaks(text);
            String first = new BpeTrainer(700, split).train(texts).toJson();
            String second = new BpeTrainer(700, split).train(new ArrayList<>(texts)).toJson();
            assertEquals(first, second, "split " + split);
        }
    }

    @Test
    void vocabularySizeCountsBytesAndMergesButNotBos() {
        BpeTokenizer bytesOnly = new BpeTrainer(256, true).train(List.of("hello hello"));
        assertEquals(257, bytesOnly.vocabSize());
        assertEquals(0, bytesOnly.mergeCount());
        BpeTokenizer t = new BpeTrainer(300, true).train(List.of(Fixtures.bundledNames()));
        assertEquals(301, t.vocabSize());
        assertEquals(300, t.bos());
    }

    @Test
    void aTextThatRunsOutOfPairsStopsShortOfTheSize() {
        BpeTokenizer t = new BpeTrainer(1000, true).train(List.of("ab ab"));
        // pairs: ab twice, "Ġa", "ab" then "Ġab"; nothing else pairs
        assertEquals(List.of("a b", "Ġ ab"), merges(t));
        assertEquals(259, t.vocabSize());
    }

    @Test
    void sizesOutsideTheRangeAreRefusedWithTheLimits() {
        MicrogptException low = assertThrows(MicrogptException.class, () -> new BpeTrainer(255, true));
        assertEquals("vocabulary size 255 is out of range: a byte-level BPE has 256 (the bytes) to 65535 tokens"
                + " (BOS not counted)", low.getMessage());
        assertThrows(MicrogptException.class, () -> new BpeTrainer(65536, true));
    }

    @Test
    void aLearnedTokenSpellingTheBosTextIsBos() {
        // without the pattern "<|bos|>" can become a token; Python's add_special_tokens then makes it BOS
        BpeTokenizer t = new BpeTrainer(300, false).train(List.of("<|bos|><|bos|><|bos|>"));
        assertEquals("<|bos|>", new String(t.tokenBytes(t.bos()), StandardCharsets.UTF_8));
        assertEquals(256 + t.mergeCount(), t.vocabSize(), "no extra id for BOS");
        assertArrayEquals(new int[] {t.bos(), t.bos()}, t.encode("<|bos|><|bos|>"));
        BpeTokenizer back = BpeTokenizer.fromJson(t.toJson(), "t.json");
        assertEquals(t.toJson(), back.toJson());
        assertEquals(t.bos(), back.bos());
    }

    @Test
    void wordsNeverSpanTwoTexts() {
        // "ab" only ever meets across the boundary of the two texts
        BpeTokenizer t = new BpeTrainer(300, false).train(List.of("xa", "bx"));
        assertEquals(List.of(), merges(t).stream().filter(m -> m.equals("a b")).toList());
    }

    static List<String> merges(BpeTokenizer t) {
        List<String> out = new ArrayList<>();
        MergeTable m = t.merges();
        for (int r = 0; r < m.size(); r++) {
            out.add(ByteLevel.encode(t.bytesOf(m.left(r))) + " " + ByteLevel.encode(t.bytesOf(m.right(r))));
        }
        return out;
    }

    static List<String> tokensFrom(BpeTokenizer t, int first) {
        List<String> out = new ArrayList<>();
        for (int id = first; id < t.vocabSize(); id++) {
            if (id != t.bos()) out.add(new String(t.tokenBytes(id), StandardCharsets.UTF_8));
        }
        return out;
    }
}
