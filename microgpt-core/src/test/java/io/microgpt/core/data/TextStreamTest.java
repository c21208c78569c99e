package io.microgpt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextStreamTest {
    @TempDir
    Path dir;

    @Test
    void everyCodePointIncludingNewlinesIsATokenOfTheSortedVocabulary() throws IOException {
        Path file = dir.resolve("t.txt");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'b', 'a', '\n', ' ', 'b', '\n'});
        TextStream s = TextStream.load(file);
        assertEquals("\n ab", ((io.microgpt.core.tokenizer.CharTokenizer) s.tokenizer()).symbols(), "sorted distinct code points, the BOM dropped");
        assertEquals(6, s.length());
        int[] all = new int[6];
        s.copy(0, all);
        assertArrayEquals(new int[] {3, 2, 0, 1, 3, 0}, all);
        assertEquals(s.tokenizer().bos(), 4, "BOS is the id after the characters, and never occurs");
        assertEquals(6, s.tokenBytes(), "a byte per token when the vocabulary fits");
        assertEquals(64, s.sha256().length());
    }

    @Test
    void aLargeVocabularyIsHeldInCharsAndDecodedFully() {
        StringBuilder sb = new StringBuilder();
        for (int cp = 0x4E00; cp < 0x4E00 + 300; cp++) sb.appendCodePoint(cp);
        sb.appendCodePoint(0x1F600);   // outside the BMP: one token, not two
        TextStream s = TextStream.of("cjk", sb.toString());
        assertEquals(301, s.length());
        assertEquals(602, s.tokenBytes());
        assertEquals(300, s.token(300));
        assertEquals("\uD83D\uDE00", ((io.microgpt.core.tokenizer.CharTokenizer) s.tokenizer()).symbol(s.token(300)));
    }

    @Test
    void decodingErrorsNameLineAndByteOffset() throws IOException {
        Path file = dir.resolve("bad.txt");
        byte[] text = "ab\ncd\nxy".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 1];
        System.arraycopy(text, 0, bytes, 0, 7);
        bytes[7] = (byte) 0xC0;   // overlong lead byte
        bytes[8] = 'y';
        Files.write(file, bytes);
        MicrogptException e = assertThrows(MicrogptException.class, () -> TextStream.load(file));
        assertTrue(e.getMessage().contains("not valid UTF-8 (line 3, byte offset 7)"), e.getMessage());
        Files.write(file, new byte[] {'a', (byte) 0xE2, (byte) 0x82});   // cut off at the end
        e = assertThrows(MicrogptException.class, () -> TextStream.load(file));
        assertTrue(e.getMessage().contains("line 1, byte offset 1"), e.getMessage());
        Files.write(file, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});   // a surrogate
        assertThrows(MicrogptException.class, () -> TextStream.load(file));
    }

    @Test
    void missingAndEmptyFilesSayWhat() throws IOException {
        assertTrue(assertThrows(MicrogptException.class, () -> TextStream.load(dir.resolve("none.txt")))
                .getMessage().contains("does not exist"));
        Path empty = dir.resolve("empty.txt");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(MicrogptException.class, () -> TextStream.load(empty)).getMessage().contains("empty"));
    }
}
