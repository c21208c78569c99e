package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --data FILE}: any UTF-8 text, and a one-line error with exit code 2 for anything that cannot work. */
class AnyDatasetTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private Path write(String name, String text) throws Exception {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void codePointsAreTokensAndLinesAreStrippedAsPythonDoes() throws Exception {
        // CRLF, a lone CR, tabs and trailing spaces end up stripped; blank lines dropped; an emoji (two UTF-16
        // chars) and each CJK character are one token. Characters: 東 京 😀 a b, and the space inside "a b".
        Path file = write("mixed.txt", "東京\r\n  😀a \t\r\n\r\n   \na b\rab\n");
        CliRunner r = CliRunner.run("train", "--data", file.toString(), "--steps", "5", "--samples", "3");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> out = r.out().lines().collect(Collectors.toList());
        assertEquals("num docs: 4", out.get(0));
        assertEquals("vocab size: 7", out.get(1), "東, 京, 😀, a, b, space + BOS");
        for (String sample : out.subList(out.size() - 3, out.size())) {
            String text = sample.substring("sample  1: ".length());
            assertTrue(text.codePoints().allMatch(cp -> "東京😀ab ".codePoints().anyMatch(v -> v == cp)), sample);
        }
    }

    @Test
    void aByteOrderMarkIsKeptAsTheReferenceKeepsIt() throws Exception {
        byte[] text = "ab\nba\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        CliRunner r = CliRunner.run("train", "--data", write("bom.txt", withBom).toString(), "--steps", "2", "--samples", "0");
        assertEquals(0, r.exitCode(), r.describe());
        // Python's open() decodes the mark as U+FEFF, which str.strip() keeps: the first document is "\uFEFFab".
        assertTrue(r.out().startsWith("num docs: 2\nvocab size: 4\n"), "U+FEFF, a, b and BOS\n" + r.out());
        assertEquals("\uFEFFab", io.microgpt.core.data.Dataset.load(dir.resolve("bom.txt")).documents().get(0));
    }

    @Test
    void theExampleFileTrains() {
        CliRunner r = CliRunner.run("train", "--data", "../examples/cities.txt", "--steps", "20", "--samples", "2");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("num docs: 325\nvocab size: 72\n"), r.out());
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("nope.txt");
        expectError("error: --data " + missing + " does not exist", "--data", missing.toString());
    }

    @Test
    void aDirectory() {
        expectError("error: --data " + dir + " is a folder, not a file", "--data", dir.toString());
    }

    @Test
    void anUnreadableFile() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path file = write("secret.txt", "abc\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        expectError("error: dataset " + file + " cannot be read (permission denied)", "--data", file.toString());
    }

    @Test
    void invalidUtf8SaysWhichLine() throws Exception {
        byte[] latin1 = "anna\nbob\nren\u00e9e\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = write("latin1.txt", latin1);
        expectError("error: --data " + file + " is not valid UTF-8 (line 3)", "--data", file.toString());
    }

    @Test
    void anEmptyOrBlankFile() throws Exception {
        Path empty = write("empty.txt", "");
        expectError("error: " + empty + " has no non-blank line: a dataset needs at least one document", "--data", empty.toString());
        Path blank = write("blank.txt", " \n\t\r\n\n");
        expectError("error: " + blank + " has no non-blank line: a dataset needs at least one document", "--data", blank.toString());
    }

    @Test
    void aVocabularyTooLargeForACharacterModel() throws Exception {
        // 70,304 distinct CJK code points (BMP and supplementary), 100 to a line.
        StringBuilder text = new StringBuilder();
        int count = 0;
        int[][] ranges = {{0x4E00, 0x9FFF}, {0x3400, 0x4DBF}, {0x20000, 0x2A6DF}};
        for (int[] range : ranges) {
            for (int cp = range[0]; cp <= range[1]; cp++) {
                text.appendCodePoint(cp);
                if (++count % 100 == 0) text.append('\n');
            }
        }
        Path file = write("cjk.txt", text.toString());
        expectError("error: " + file + " has 70,304 distinct characters, more than the 65,535 a character-level vocabulary"
                + " allows (is it one-document-per-line text?): use a text with fewer distinct characters", "--data", file.toString());
    }

    @Test
    void aValidationFractionThatLeavesNothingToTrainOn() throws Exception {
        Path two = write("two.txt", "ab\nba\n");
        expectError("error: validation fraction 0.9 leaves no training documents (2 in all)",
                "--data", two.toString(), "--val-fraction", "0.9");
    }

    @Test
    void aModelTooLargeForMemory() {
        // 12 x 12,800^2 = 1.97e9 parameters: about 63 GB with gradients and Adam state, more than any test JVM's heap.
        CliRunner r = CliRunner.run("train", "--n-embd", "12800", "--n-head", "4");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertTrue(r.err().startsWith("error: the model needs 1,966,976,000 parameters (vocab 27, n_embd 12800, n_layer 1, block_size 16),"
                + " about 62.9 GB for weights, gradients and Adam state, more than the "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    private static void expectError(String message, String... trainArgs) {
        String[] args = new String[trainArgs.length + 1];
        args[0] = "train";
        System.arraycopy(trainArgs, 0, args, 1, trainArgs.length);
        CliRunner r = CliRunner.run(args);
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals(message + "\n", r.err());
        assertEquals("", r.out());
    }
}
