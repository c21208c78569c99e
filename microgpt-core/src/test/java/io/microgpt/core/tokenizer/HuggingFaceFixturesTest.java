package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Against files Python's tokenizers 0.23.2 wrote (docs/bench/tokenizer/make_fixtures.py): we read them and encode
 * as Python does, and our training on the same text writes the same file, byte for byte.
 */
class HuggingFaceFixturesTest {
    private static final String SHAKESPEARE = "shakespeare-1024.json";
    private static final String MIXED_BYTES = "mixed-bytes-320.json";

    @Test
    void pythonFilesEncodeTheMixedTextToPythonsIds() {
        for (String name : List.of(SHAKESPEARE, MIXED_BYTES)) {
            BpeTokenizer tokenizer = Fixtures.tokenizer(name);
            int[] expected = Fixtures.ids("mixed." + name.replace(".json", ".ids"));
            assertIdsEqual(expected, tokenizer.encode(Fixtures.mixed()), name);
        }
    }

    @Test
    void pythonFileEncodesAllOfShakespeareToPythonsIds() throws Exception {
        BpeTokenizer tokenizer = Fixtures.tokenizer(SHAKESPEARE);
        int[] ids = tokenizer.encode(Fixtures.example("tinyshakespeare.txt"));
        String line = IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.US_ASCII));
        assertEquals(Fixtures.resource("shakespeare.shakespeare-1024.sha256").strip(), HexFormat.of().formatHex(digest),
                "SHA-256 of the " + ids.length + " ids, space-separated");
    }

    @Test
    void trainingOnShakespeareWritesPythonsFileByteForByte() {
        BpeTokenizer ours = new BpeTrainer(1024, true).train(List.of(Fixtures.example("tinyshakespeare.txt")));
        assertSameText(Fixtures.resource(SHAKESPEARE), ours.toJson());
    }

    @Test
    void trainingOnLinesWithoutThePatternWritesPythonsFileByteForByte() {
        BpeTokenizer ours = new BpeTrainer(320, false).train(Fixtures.linesKeepingBreaks(Fixtures.mixed()));
        assertSameText(Fixtures.resource(MIXED_BYTES), ours.toJson());
    }

    @Test
    void pythonFilesReadAndWriteBackUnchanged() {
        for (String name : List.of(SHAKESPEARE, MIXED_BYTES)) {
            assertSameText(Fixtures.resource(name), Fixtures.tokenizer(name).toJson());
        }
    }

    @Test
    void decodingPythonsIdsGivesTheTextBack() {
        for (String name : List.of(SHAKESPEARE, MIXED_BYTES)) {
            int[] ids = Fixtures.ids("mixed." + name.replace(".json", ".ids"));
            assertEquals(Fixtures.mixed(), Fixtures.tokenizer(name).decode(ids), name);
        }
    }

    static void assertIdsEqual(int[] expected, int[] actual, String what) {
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
            if (expected[i] != actual[i]) {
                fail(what + ": first difference at token " + i + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
        assertEquals(expected.length, actual.length, what + ": number of tokens");
        assertArrayEquals(expected, actual);
    }

    /** Equal texts, or a failure that shows the first differing line. */
    static void assertSameText(String expected, String actual) {
        if (expected.equals(actual)) return;
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) fail("line " + (i + 1) + " differs: expected <" + e[i] + "> but was <" + a[i] + ">");
        }
        fail("expected " + e.length + " lines, got " + a.length);
    }
}
