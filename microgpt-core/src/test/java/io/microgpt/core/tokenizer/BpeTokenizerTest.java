package io.microgpt.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BpeTokenizerTest {
    private static final BpeTokenizer SHAKESPEARE = Fixtures.tokenizer("shakespeare-1024.json");
    private static final BpeTokenizer MIXED_BYTES = Fixtures.tokenizer("mixed-bytes-320.json");

    @Test
    void bundledTextsComeBackWhole() {
        for (String text : List.of(Fixtures.bundledNames(), Fixtures.example("tinyshakespeare.txt"),
                Fixtures.example("cities.txt"), Fixtures.mixed())) {
            for (BpeTokenizer t : List.of(SHAKESPEARE, MIXED_BYTES)) {
                assertEquals(text, t.decode(t.encode(text)));
            }
        }
    }

    @Test
    void theBosTextInATextIsTheBosToken() {
        int bos = SHAKESPEARE.bos();
        assertEquals(1024, bos);
        int[] ids = SHAKESPEARE.encode("a<|bos|>b<|bos|><|bos|>");
        assertArrayEquals(new int[] {SHAKESPEARE.encode("a")[0], bos, SHAKESPEARE.encode("b")[0], bos, bos}, ids);
        assertEquals("a<|bos|>b<|bos|><|bos|>", SHAKESPEARE.decode(ids));
    }

    @Test
    void aDocumentIsBosTokensBos() {
        int[] doc = SHAKESPEARE.encodeDocument("To be");
        int[] inner = SHAKESPEARE.encode("To be");
        assertEquals(inner.length + 2, doc.length);
        assertEquals(SHAKESPEARE.bos(), doc[0]);
        assertEquals(SHAKESPEARE.bos(), doc[doc.length - 1]);
        assertArrayEquals(new int[] {SHAKESPEARE.bos(), SHAKESPEARE.bos()}, SHAKESPEARE.encodeDocument(""));
    }

    @Test
    void tokensThatSplitACharacterDecodeToReplacementCharactersAlone() {
        int[] euro = SHAKESPEARE.encode("€");   // E2 82 AC: three byte tokens under this vocabulary
        assertEquals(3, euro.length);
        assertEquals("\uFFFD", SHAKESPEARE.decode(new int[] {euro[0], euro[1]}), "a cut-off character is one U+FFFD");
        assertEquals("\uFFFD\uFFFD", SHAKESPEARE.decode(new int[] {euro[1], euro[2]}), "lone continuation bytes");
        assertEquals("a\uFFFDb", SHAKESPEARE.decode(new int[] {SHAKESPEARE.encode("a")[0], euro[0],
                SHAKESPEARE.encode("b")[0]}));
        assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x82}, SHAKESPEARE.decodeBytes(new int[] {euro[0], euro[1]}));
    }

    @Test
    void theIncrementalDecoderHoldsBytesUntilTheCharacterCompletes() {
        int[] ids = SHAKESPEARE.encode("a€");
        IncrementalDecoder d = SHAKESPEARE.decoder();
        assertEquals("a", d.next(ids[0]));
        assertEquals("", d.next(ids[1]));
        assertTrue(d.holdsBytes());
        assertEquals("", d.next(ids[2]));
        assertEquals("€", d.next(ids[3]));
        assertFalse(d.holdsBytes());
        assertEquals("", d.finish());
        d.next(ids[1]);
        assertEquals("\uFFFD", d.finish(), "a character left unfinished");
    }

    @Test
    void idsOutsideTheVocabularyAreRefused() {
        MicrogptException e = assertThrows(MicrogptException.class, () -> SHAKESPEARE.decode(new int[] {1025}));
        assertEquals("token id 1025 is not in the vocabulary (0..1024)", e.getMessage());
        assertThrows(MicrogptException.class, () -> SHAKESPEARE.decode(new int[] {-1}));
        assertThrows(MicrogptException.class, () -> SHAKESPEARE.decoder().next(5000));
    }

    @Test
    void everyByteIsOneTokenOfItsOwnBeforeMerging() {
        for (int b = 0; b < 256; b++) {
            int[] ids = MIXED_BYTES.encode(new String(new byte[] {(byte) b}, StandardCharsets.ISO_8859_1));
            byte[] back = MIXED_BYTES.decodeBytes(ids);
            assertArrayEquals(new String(new byte[] {(byte) b}, StandardCharsets.ISO_8859_1)
                    .getBytes(StandardCharsets.UTF_8), back, "byte " + b);
        }
    }

    @Test
    void aLongWordMergesAsItsShortPiecesWould() {
        // without the pattern a whole text is one word: the heap path must agree with the plain scan
        String text = Fixtures.example("cities.txt");
        int[] whole = MIXED_BYTES.encode(text);
        WordMerger merger = new WordMerger(MIXED_BYTES.merges());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] scan = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) scan[i] = baseId(bytes[i] & 0xFF);
        int n = merger.mergeShort(scan, scan.length);
        assertTrue(bytes.length > WordMerger.SHORT_WORD && n < bytes.length, "a long word, and merged");
        assertArrayEquals(java.util.Arrays.copyOf(scan, n), whole);
    }

    /** GPT-2's order of the byte stand-ins: the rank of byte b's character among all 256. */
    private static int baseId(int b) {
        char c = ByteLevel.charOf(b);
        int rank = 0;
        for (int x = 0; x < 256; x++) if (ByteLevel.charOf(x) < c) rank++;
        return rank;
    }
}
