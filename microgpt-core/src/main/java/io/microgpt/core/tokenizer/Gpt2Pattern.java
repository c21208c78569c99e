package io.microgpt.core.tokenizer;

import static io.microgpt.core.tokenizer.CharacterClasses.SPACE;

import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's pre-tokenisation pattern as a hand-written scanner: where the next piece of a text ends. The pattern,
 * tried alternative by alternative at each piece's start as a regex engine does (first match wins):
 * <pre>
 * 's|'t|'re|'ve|'m|'ll|'d | ?\p{L}+ | ?\p{N}+ | ?[^\s\p{L}\p{N}]+ | \s+(?!\S) | \s+
 * </pre>
 * that is: an English contraction; else a run of letters, of numbers or of other characters, each with at most one
 * leading space (U+0020); else a run of whitespace, less its last character when a non-space follows (that space
 * then leads the next word); else the single whitespace character before a non-space. Classes are
 * {@link CharacterClasses}' (Unicode 16, as tokenizers 0.23.2 applies them). An unpaired surrogate counts as
 * "other". The scanner is several times faster than {@code java.util.regex} with the same pattern (see
 * docs/BENCHMARKS.md). Stateless; thread-safe.
 */
public final class Gpt2Pattern {
    private Gpt2Pattern() {
    }

    /** The end (exclusive) of the piece that starts at {@code start} in {@code text[start, end)} ({@code start < end}). */
    public static int pieceEnd(String text, int start, int end) {
        char c = text.charAt(start);
        if (c == '\'') {
            int contraction = contractionLength(text, start, end);
            if (contraction > 0) return start + contraction;
        }
        int runStart = c == ' ' && start + 1 < end ? start + 1 : start;
        int cp = codePointAt(text, runStart, end);
        byte cls = CharacterClasses.of(cp);
        if (cls == SPACE) return whitespaceEnd(text, start, end);
        int i = runStart + Character.charCount(cp);
        while (i < end) {
            char d = text.charAt(i);
            if (d < 128) {
                if (CharacterClasses.of(d) != cls) break;
                i++;
            } else {
                int e = codePointAt(text, i, end);
                if (CharacterClasses.of(e) != cls) break;
                i += Character.charCount(e);
            }
        }
        return i;
    }

    /**
     * {@code text[from, to)} cut after every line break that a non-whitespace character follows. The pattern never
     * joins across such a place (the whitespace before a non-space ends there, and a line break never leads a
     * word), so the pieces split into the same words as the whole: a long text can be encoded piece by piece.
     */
    public static List<String> lineChunks(String text, int from, int to) {
        List<String> pieces = new ArrayList<>();
        int start = from;
        for (int i = text.indexOf('\n', from); i >= 0 && i + 1 < to; i = text.indexOf('\n', i + 1)) {
            if (CharacterClasses.of(text.codePointAt(i + 1)) != SPACE) {
                pieces.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < to) pieces.add(text.substring(start, to));
        return pieces;
    }

    /** 's 't 're 've 'm 'll 'd (lower case only): their length, or 0. */
    private static int contractionLength(String text, int start, int end) {
        if (start + 1 >= end) return 0;
        char d = text.charAt(start + 1);
        if (d == 's' || d == 't' || d == 'm' || d == 'd') return 2;
        if (start + 2 >= end) return 0;
        char e = text.charAt(start + 2);
        if ((d == 'r' && e == 'e') || (d == 'v' && e == 'e') || (d == 'l' && e == 'l')) return 3;
        return 0;
    }

    /**
     * {@code \s+(?!\S)|\s+} at a whitespace character: the whole run at the end of the text; the run less its last
     * character when a non-space follows and the run is longer than one; else the one character.
     */
    private static int whitespaceEnd(String text, int start, int end) {
        int i = start + 1;
        while (i < end && CharacterClasses.of(text.charAt(i)) == SPACE) i++;   // whitespace is all in the BMP
        if (i == end || i - start == 1) return i;
        return i - 1;
    }

    private static int codePointAt(String text, int i, int end) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < end) {
            char d = text.charAt(i + 1);
            if (Character.isLowSurrogate(d)) return Character.toCodePoint(c, d);
        }
        return c;
    }
}
