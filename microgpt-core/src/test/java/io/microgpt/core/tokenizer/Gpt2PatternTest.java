package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Gpt2PatternTest {
    /** The pattern itself, as the oracle: java.util.regex with Unicode classes (\s is then White_Space). */
    private static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    @Test
    void handPickedCasesSplitAsTheRegexDoes() {
        assertEquals(List.of("Hello", ",", " world", "!"), pieces("Hello, world!"));
        assertEquals(List.of("don", "'t", " I", "'ll", " they", "'re", " DON", "'", "T"), pieces("don't I'll they're DON'T"));
        assertEquals(List.of("a", "  ", " b"), pieces("a   b"), "a space run gives its last space to the word");
        assertEquals(List.of("a", "\t", "b"), pieces("a\tb"), "a lone non-space whitespace stands alone");
        assertEquals(List.of("a", " \n", " b"), pieces("a \n b"));
        assertEquals(List.of("a", "\n\n"), pieces("a\n\n"), "trailing whitespace stays whole");
        assertEquals(List.of("x", " 123", " 4½", "!"), pieces("x 123 4½!"), "½ is a number (No)");
        assertEquals(List.of(" '", "s"), pieces(" 's"), "a contraction only starts a piece");
        assertEquals(List.of("e", "\u0301", " é"), pieces("e\u0301 é"), "combining marks are not letters");
        assertEquals(List.of("日本語", "。", "한국어"), pieces("日本語。한국어"));
        assertEquals(List.of("🙂", " 👍🏽"), pieces("🙂 👍🏽"));
        assertEquals(List.of("a", "\u3000", "b"), pieces("a\u3000b"), "U+3000 is whitespace");
        assertEquals(List.of("a", "\u00a0", "b"), pieces("a\u00a0b"), "so is NBSP");
        assertEquals(List.of("a", "\u001c", "b"), pieces("a\u001cb"), "U+001C is not (Java's isWhitespace says it is)");
    }

    @Test
    void splitsAsJavaRegexDoesWhereTheJdkKnowsTheCharacters() {
        for (long seed = 1; seed <= 5000; seed++) {
            String text = RandomText.of(new java.util.Random(seed), 40,
                    cp -> Character.isDefined(cp) && Character.getType(cp) != Character.SURROGATE);
            assertEquals(regexPieces(text), pieces(text), RandomText.describe(seed, text));
        }
    }

    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); ) {
            int j = Gpt2Pattern.pieceEnd(text, i, text.length());
            out.add(text.substring(i, j));
            i = j;
        }
        return out;
    }

    private static List<String> regexPieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) throw new AssertionError("the pattern skipped characters in " + text);
            out.add(m.group());
            end = m.end();
        }
        return out;
    }
}
