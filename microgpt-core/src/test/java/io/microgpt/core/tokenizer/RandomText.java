package io.microgpt.core.tokenizer;

import io.microgpt.core.Text;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Random texts for the randomized tests: a mix of any code point (so every script, unassigned ones too), the
 * characters the tokenizer treats specially (spaces of every kind, apostrophes and the contraction letters,
 * combining marks, digits, the BOS text's characters) and emoji. Seeded: a failing case is reproduced from the
 * seed its message shows.
 */
final class RandomText {
    private static final String LIKELY = "  '\u0027sletrvdmAT17.!\n\t\r\u000b\u00a0\u2003\u3000\u2028\u0301é日½<|>";

    private RandomText() {
    }

    /** Up to {@code maxLength} code points, those failing {@code allowed} drawn again. */
    static String of(Random random, int maxLength, IntPredicate allowed) {
        StringBuilder sb = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        while (length > 0) {
            int cp;
            int kind = random.nextInt(10);
            if (kind < 3) cp = random.nextInt(Character.MAX_CODE_POINT + 1);
            else if (kind < 9) cp = LIKELY.charAt(random.nextInt(LIKELY.length()));
            else cp = 0x1F300 + random.nextInt(0x800);
            if (!allowed.test(cp)) continue;
            sb.appendCodePoint(cp);
            length--;
        }
        return sb.toString();
    }

    /** Any text without unpaired surrogates. */
    static String of(Random random, int maxLength) {
        return of(random, maxLength, cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
    }

    /** How a failing case is named: its seed and its text, escaped. */
    static String describe(long seed, String text) {
        return "seed " + seed + ", text " + Text.quote(text);
    }
}
