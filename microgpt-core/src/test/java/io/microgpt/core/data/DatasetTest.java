package io.microgpt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void bundledNamesHave32033Documents() {
        Dataset d = Dataset.bundledNames();
        assertEquals(32033, d.size());
        assertEquals("emma", d.documents().get(0));
    }

    @Test
    void linesAreStrippedAndBlankLinesDropped() throws IOException {
        Path p = write("d.txt", "  anna \r\n\r\n\t\nbob\rcarl\n   \ndora".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("anna", "bob", "carl", "dora"), Dataset.load(p).documents());
    }

    @Test
    void missingEmptyBlankAndDirectoryAreClearErrors() throws IOException {
        assertTrue(assertThrows(MicrogptException.class, () -> Dataset.load(dir.resolve("nope.txt")))
                .getMessage().contains("does not exist"));
        Path empty = write("empty.txt", new byte[0]);
        assertTrue(assertThrows(MicrogptException.class, () -> Dataset.load(empty)).getMessage().contains("no non-blank line"));
        Path blank = write("blank.txt", " \n\n \t\r\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(MicrogptException.class, () -> Dataset.load(blank)).getMessage().contains("no non-blank line"));
        assertTrue(assertThrows(MicrogptException.class, () -> Dataset.load(dir)).getMessage().contains("is a folder, not a file"));
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        byte[] bytes = {'a', 'b', '\n', 'c', '\n', (byte) 0xff, 'x', '\n'};
        Path p = write("bad.txt", bytes);
        String message = assertThrows(MicrogptException.class, () -> Dataset.load(p)).getMessage();
        assertTrue(message.contains("not valid UTF-8 (line 3)"), message);
    }

    @Test
    void unicodeDocumentsSurvive() throws IOException {
        Path p = write("u.txt", "Zoë\n東京\n🙂ok\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("Zoë", "東京", "🙂ok"), Dataset.load(p).documents());
    }
}
