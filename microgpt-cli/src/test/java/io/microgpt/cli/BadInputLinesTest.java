package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input gets one clean line: no internal exception, nothing from a file or a flag reaching the
 * terminal raw (control characters shown escaped), no value echoed at unbounded length, no misleading reason.
 */
class BadInputLinesTest {
    @TempDir
    Path dir;

    private static void assertOneLine(CliRunner r, String expected) {
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("error: " + expected + "\n", r.err(), r.describe());
    }

    private static void assertNoRawControls(String text) {
        for (char c : text.toCharArray()) {
            assertTrue(c == '\n' || !(Character.isISOControl(c) || c == '\u2028' || c == '\u0085'),
                    "raw control character U+" + Integer.toHexString(c) + " in: " + text);
        }
    }

    /** A resumable run on the bundled names, stopped after step 1 of 2. */
    private Path stoppedRun() {
        Path k = dir.resolve("k.safetensors");
        CliRunner r = CliRunner.run("train", "--n-embd", "4", "--n-head", "1", "--block-size", "8", "--steps", "2",
                "--save", k.toString(), "--stop-after", "1");
        assertEquals(0, r.exitCode(), r.describe());
        return k;
    }

    @Test
    void aForgedShortDigestIsAMessageNotACrash() throws IOException {
        Path k = stoppedRun();
        ForgedCheckpoint.rewriteMetadata(k, "dataset_sha256", "abc");
        String expected = k + ": metadata 'dataset_sha256' is 'abc', not a SHA-256 (64 hex digits)";
        assertOneLine(CliRunner.run("train", "--resume", k.toString()), "--resume " + expected);
        assertOneLine(CliRunner.run("info", k.toString()), "checkpoint " + expected);
    }

    @Test
    void aDatasetNameWithANulIsAMessageNotACrash() throws IOException {
        Path k = stoppedRun();
        ForgedCheckpoint.rewriteMetadata(k, "dataset", "names\u0000.txt");
        CliRunner r = CliRunner.run("train", "--resume", k.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("reading the run's documents from 'names\\u0000.txt' (the dataset " + k + " names; --data FILE reads another copy)\n"
                + "error: the run trained on 'names\\u0000.txt', which cannot be read now (dataset 'names\\u0000.txt' is not a usable"
                + " file name (Nul character not allowed)); give the same documents explicitly (CLI: --data FILE)\n", r.err());
    }

    @Test
    void controlCharactersFromAFileAreShownEscaped() throws IOException {
        Path tensor = new ForgedCheckpoint("ab", 4, 1, 1, 8).renameFirstTensor("wte\u001b[31m").write(dir.resolve("t.safetensors"));
        assertOneLine(CliRunner.run("info", tensor.toString()),
                "checkpoint " + tensor + ": unexpected tensor 'wte\\u001b[31m' (not part of the model the metadata describes)");

        ForgedCheckpoint owned = new ForgedCheckpoint("ab", 4, 1, 1, 8);
        owned.metadata.put("backend", "\u001b]0;owned\u0007");
        Path backend = owned.write(dir.resolve("b.safetensors"));
        CliRunner info = CliRunner.run("info", backend.toString());
        assertEquals(0, info.exitCode(), info.describe());
        assertTrue(info.out().contains("written by the \\u001b]0;owned\\u0007 backend)"), info.out());
        assertNoRawControls(info.out());
        CliRunner sample = CliRunner.run("sample", "--model", backend.toString(), "--backend", "\u001b]0;owned\u0007");
        assertEquals(Main.EXIT_BAD_INPUT, sample.exitCode(), sample.describe());
        assertTrue(sample.err().startsWith("error: unknown backend '\\u001b]0;owned\\u0007'; available: scalar, "), sample.err());
        assertEquals(1, sample.err().lines().count(), sample.err());
    }

    @Test
    void aVocabularyWithANewlineKeepsOneSamplePerLine() throws IOException {
        Path model = new ForgedCheckpoint("\nab\u2028", 4, 1, 1, 12).write(dir.resolve("v.safetensors"));
        CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--samples", "30", "--temperature", "5");
        assertEquals(0, r.exitCode(), r.describe());
        long lines = r.out().lines().count();
        assertEquals(31, lines, "the header and 30 sample lines:\n" + r.out());
        assertTrue(r.out().contains("\\n") && r.out().contains("\\u2028"), "the characters are shown escaped:\n" + r.out());
        assertNoRawControls(r.out());
        CliRunner info = CliRunner.run("info", model.toString());
        assertTrue(info.out().contains("vocabulary: 4 characters + BOS: \"\\u000aab\\u2028\""), info.out());
    }

    @Test
    void hugeValuesAreCutWithAnEllipsis() throws IOException {
        Path field = new ForgedCheckpoint("ab", 4, 1, 1, 8).extraField("x".repeat(10_000_000)).write(dir.resolve("f.safetensors"));
        CliRunner r = CliRunner.run("info", field.toString());
        assertOneLine(r, "checkpoint " + field + ": tensor 'wte' has an unknown field '" + "x".repeat(200) + "...'");

        Path k = stoppedRun();
        String prefix = "a".repeat(100_000);
        assertOneLine(CliRunner.run("sample", "--model", k.toString(), "--prefix", prefix),
                "--prefix '" + "a".repeat(200) + "...' must be shorter than the block size 8");
        assertOneLine(CliRunner.run("sample", "--model", k.toString(), "--prefix", "\u001b" + "q".repeat(500)),
                "--prefix '\\u001b" + "q".repeat(194) + "...': character '\\u001b' (U+001B) is not in the vocabulary");
    }

    @Test
    void misleadingMessagesSayTheRealReason() {
        String tiny = "--temperature 1.0E-320 is too small: logits / temperature would overflow; use a larger temperature, e.g. 0.01 or more";
        assertOneLine(CliRunner.run("train", "--steps", "1", "--temperature", "1e-320"), tiny);
        Path k = stoppedRun();
        assertOneLine(CliRunner.run("sample", "--model", k.toString(), "--temperature", "1e-320"), tiny);

        CliRunner none = CliRunner.run();
        assertEquals(Main.EXIT_BAD_INPUT, none.exitCode());
        assertTrue(none.err().startsWith("error: no command given: choose one of train, sample, info, gradcheck, bench, sweep"
                + " (see the list below)\n"), none.err());
        assertTrue(none.err().contains("Commands:"), "then the usage: " + none.err());
        assertFalse(none.err().contains("\tat "));
    }
}
