package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void theStandardsExampleOfMaximalSubparts() {
        // The Unicode Standard, table 3-8 (Python's bytes.decode("utf-8", "replace") gives the same)
        assertEquals("a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd", decode("61F18080E180C262806380BF64"));
    }

    @Test
    void overlongSurrogateAndTooLargeFormsAreOneReplacementPerByte() {
        assertEquals("\uFFFD".repeat(3), decode("EDA3BD"), "a surrogate (Java's own decoder gives one U+FFFD here)");
        assertEquals("\uFFFD".repeat(4), decode("F4908080"), "above U+10FFFF");
        assertEquals("\uFFFD".repeat(2), decode("C0AF"), "overlong /");
        assertEquals("\uFFFD".repeat(3), decode("E0809F"));
        assertEquals("\uFFFD".repeat(4), decode("F0808080"));
        assertEquals("\uFFFD", decode("F09F98"), "a cut-off emoji");
        assertEquals("\uD83D\uDE00", decode("F09F9880"));
    }

    @Test
    void agreesWithTheJdkDecoderAwayFromSurrogateForms() {
        byte[] interesting = HexFormat.of().parseHex("4180BF9FA0C2DFE0EDEFF0F4F5C0FF");
        for (long seed = 1; seed <= 20000; seed++) {
            java.util.Random random = new java.util.Random(seed);
            byte[] bytes = new byte[random.nextInt(13)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : interesting[random.nextInt(interesting.length)];
            }
            // the JDK replaces ED A0..BF (a surrogate's form) as one unit; the standard, Python and Rust byte by byte
            if (HexFormat.of().formatHex(bytes).matches("(..)*ed[ab].*")) continue;
            assertEquals(new String(bytes, StandardCharsets.UTF_8), Utf8.decode(bytes, 0, bytes.length),
                    "seed " + seed + ", bytes " + HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void encodesAsTheJdkDoesWithUnpairedSurrogatesAsReplacementCharacters() {
        for (long seed = 1; seed <= 3000; seed++) {
            String text = RandomText.of(new java.util.Random(seed), 30, cp -> true);
            byte[] out = new byte[3 * text.length()];
            int n = Utf8.encode(text, 0, text.length(), out);
            assertEquals(HexFormat.of().formatHex(repair(text).getBytes(StandardCharsets.UTF_8)),
                    HexFormat.of().formatHex(java.util.Arrays.copyOf(out, n)), RandomText.describe(seed, text));
        }
    }

    /** Unpaired surrogates as U+FFFD. */
    private static String repair(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    private static String decode(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        return Utf8.decode(b, 0, b.length);
    }
}
