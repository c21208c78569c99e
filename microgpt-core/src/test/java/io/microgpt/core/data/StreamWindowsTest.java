package io.microgpt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import org.junit.jupiter.api.Test;

class StreamWindowsTest {
    /** 1,000 characters of a..z in a pattern that does not repeat within a window. */
    private static String text() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) sb.append((char) ('a' + (i * 7 + i / 26) % 26));
        return sb.toString();
    }

    @Test
    void windowsAreDrawnReproduciblyFromTheTrainingPartByTheRandomSource() {
        TextStream s = TextStream.of("t", text());
        StreamWindows w = new StreamWindows(s, 8, 0.1);
        assertEquals(900, w.trainLength());
        assertEquals(100, w.validationLength());
        int[][] a = w.newBatch(4);
        int[][] b = w.newBatch(4);
        PyRandom r1 = new PyRandom(5);
        PyRandom r2 = new PyRandom(5);
        PyRandom offsets = new PyRandom(5);
        for (int step = 0; step < 50; step++) {
            w.fill(0, r1, a);
            w.fill(0, r2, b);
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(a[i], b[i], "the same seed draws the same windows");
                assertEquals(9, a[i].length, "block_size + 1 tokens");
                int offset = offsets.randBelow(900 - 8);
                int[] expected = new int[9];
                s.copy(offset, expected);
                assertArrayEquals(expected, a[i], "window at the offset randBelow(trainLength - blockSize) gives");
                assertTrue(offset + 9 <= 900, "inside the training part");
            }
        }
        assertEquals(r1.state(), r2.state());
    }

    @Test
    void validationWindowsAreFixedAndEvenlySpacedOverTheValidationPart() {
        TextStream s = TextStream.of("t", text());
        StreamWindows w = new StreamWindows(s, 8, 0.1);
        int[][] v = w.validationSamples(4);
        assertEquals(4, v.length);
        int possible = 100 - 8;
        for (int i = 0; i < 4; i++) {
            int[] expected = new int[9];
            s.copy(900 + i * possible / 4, expected);
            assertArrayEquals(expected, v[i]);
        }
        assertArrayEquals(v[3], w.validationSamples(4)[3], "the same every time");
        assertEquals(possible, w.validationSamples(10_000).length, "no more windows than offsets");
    }

    @Test
    void aPartShorterThanOneWindowSaysItsLengthAndWhichBlockFits() {
        TextStream s = TextStream.of("short.txt", text());
        MicrogptException e = assertThrows(MicrogptException.class, () -> new StreamWindows(s, 200, 0.1));
        assertTrue(e.getMessage().contains("validation part of short.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("has 100 tokens, fewer than block size 200 + 1"), e.getMessage());
        assertTrue(e.getMessage().contains("--block-size 99 or less"), e.getMessage());
        e = assertThrows(MicrogptException.class, () -> new StreamWindows(s, 1000, 0));
        assertTrue(e.getMessage().contains("training part of short.txt"), e.getMessage());
        assertTrue(e.getMessage().contains("--block-size 999 or less"), e.getMessage());
        assertEquals(0, new StreamWindows(s, 999, 0).validationSamples(10).length, "no validation part, no windows");
    }
}
