package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values from files and flags are shown escaped and cut, never raw. */
class TextTest {
    @Test
    void controlAndInvisibleCharactersAreEscaped() {
        assertEquals("a\\nb\\r\\tc", Text.shown("a\nb\r\tc"));
        assertEquals("\\u001b[31m\\u0000\\u0085\\u2028\\u202e", Text.shown("\u001b[31m\u0000\u0085\u2028\u202e"));
        assertEquals("\\U000e0001", Text.shown(new String(Character.toChars(0xE0001))), "a tag character, outside the BMP");
        assertEquals("émoji 😀 and 中文", Text.shown("émoji 😀 and 中文"), "printable text stays as it is");
    }

    @Test
    void quotedValuesEscapeTheirQuotesAndAreCutWithAnEllipsis() {
        assertEquals("'it\\'s a \\\\ b'", Text.quote("it's a \\ b"));
        assertEquals("'" + "x".repeat(Text.MAX_SHOWN) + "...'", Text.quote("x".repeat(10_000_000)));
        assertEquals("x".repeat(Text.MAX_SHOWN), Text.shown("x".repeat(Text.MAX_SHOWN)), "exactly the limit is not cut");
        assertEquals(Text.MAX_MESSAGE + 3, Text.message("y".repeat(100_000)).length());
        assertEquals("a\\nb", Text.line("a\nb"));
    }

    @Test
    void byteCountsReadAsPeopleSayThem() {
        assertEquals("12 bytes", Text.bytes(12));
        assertEquals("134 kB", Text.bytes(134_144));
        assertEquals("31.5 MB", Text.bytes(31_457_259));
        assertEquals("9223372036.9 GB", Text.bytes(Long.MAX_VALUE));
    }
}
