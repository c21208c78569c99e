package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard output that cannot be written is never a silent success: a full disk or a closed descriptor ends
 * the command with one {@code error:} line and exit code 2; a pipe whose reader has gone ends it at once, quietly,
 * with the exit code of a process cut off by its pipe (141). Real processes, a real {@code /dev/full}, a real
 * closed pipe. A run whose output fails is saved first.
 */
class StandardOutputTest {
    /** Far longer than any case takes (a few seconds); a command that ignored its closed pipe would run for hours. */
    private static final long WAIT_SECONDS = 120;
    private static final Path DEV_FULL = Path.of("/dev/full");

    @TempDir
    static Path dir;
    private static Path names;
    private static Path stream;

    @BeforeAll
    static void trainModels() throws IOException {
        names = dir.resolve("names.safetensors");
        CliRunner r = CliRunner.run("train", "--steps", "2", "--n-embd", "8", "--n-head", "2", "--samples", "0",
                "--save", names.toString());
        assertEquals(0, r.exitCode(), r.describe());
        Path text = dir.resolve("play.txt");
        Files.writeString(text, Files.readString(Path.of("../examples/tinyshakespeare.txt"), StandardCharsets.UTF_8)
                .substring(0, 3000), StandardCharsets.UTF_8);
        stream = dir.resolve("stream.safetensors");
        r = CliRunner.run("train", "--layout", "stream", "--data", text.toString(), "--steps", "2", "--n-embd", "8",
                "--n-head", "2", "--save", stream.toString());
        assertEquals(0, r.exitCode(), r.describe());
    }

    /** Runs {@code microgpt ARGS > /dev/full} and checks its one error line and exit code 2. */
    private static void assertFullDiskIsAnError(String... args) throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = MainProcess.builder(err, args).redirectOutput(DEV_FULL.toFile()).start();
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "ended");
        List<String> lines = MainProcess.errorLines(err);
        assertEquals(List.of("error: cannot write to standard output (No space left on device)"), lines, String.join(" ", args));
        assertEquals(2, p.exitValue(), String.join(" ", args));
    }

    @Test
    void samplesToAFullDiskAreAnError() throws Exception {
        assertTrue(Files.exists(DEV_FULL), "/dev/full is there (Linux)");
        assertFullDiskIsAnError("sample", "--model", names.toString());
        assertFullDiskIsAnError("sample", "--model", stream.toString(), "--length", "20");
    }

    @Test
    void trainingToAFullDiskIsAnError() throws Exception {
        assertFullDiskIsAnError("train", "--steps", "3", "--n-embd", "8", "--n-head", "2");
    }

    @Test
    void helpToAFullDiskIsAnError() throws Exception {
        assertFullDiskIsAnError("--help");
    }

    @Test
    void aClosedStandardOutputIsAnError() throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" >&-", "sh"));
        command.addAll(MainProcess.command("sample", "--model", names.toString()));
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "ended");
        List<String> lines = MainProcess.errorLines(err);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("error: cannot write to standard output ("), lines.toString());
        assertEquals(2, p.exitValue());
    }

    /**
     * Starts {@code microgpt ARGS | head -c N}: reads {@code bytes} bytes (or up to the first line starting with
     * {@code until}), closes the pipe, and returns the process once it ended.
     */
    private static Process readThenClose(Path err, int bytes, String until, String... args) throws Exception {
        Process p = MainProcess.builder(err, args).start();
        InputStream out = p.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (seen.length() < bytes || (until != null && !seen.toString().contains("\n" + until))) {
            int b = out.read();
            if (b < 0) break;
            seen.append((char) b);
        }
        out.close();
        boolean ended = p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly();
        assertTrue(ended, "the command ended once its reader left, after " + seen);
        return p;
    }

    @Test
    void samplingIntoAClosedPipeEndsAtOnceAndQuietly() throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = readThenClose(err, 50, null, "sample", "--model", names.toString(), "--samples", "100000000");
        assertEquals(List.of(), MainProcess.errorLines(err));
        assertEquals(OutputFailure.EXIT_READER_GONE, p.exitValue());
    }

    @Test
    void aStreamIntoAClosedPipeEndsAtOnceAndQuietly() throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = readThenClose(err, 50, null, "sample", "--model", stream.toString(), "--length", "100000000");
        assertEquals(List.of(), MainProcess.errorLines(err));
        assertEquals(OutputFailure.EXIT_READER_GONE, p.exitValue());
    }

    @Test
    void trainingIntoAClosedPipeSavesTheRunAndEndsQuietly() throws Exception {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Path saved = dir.resolve("piped.safetensors");
        Process p = readThenClose(err, 0, "step    3 /", "train", "--n-embd", "8", "--n-head", "2", "--steps", "100000000",
                "--save", saved.toString());
        assertEquals(List.of(), MainProcess.errorLines(err));
        assertEquals(OutputFailure.EXIT_READER_GONE, p.exitValue());
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertTrue(checkpoint.stepsDone() >= 3 && checkpoint.trainingState().isPresent(),
                "the run was saved, resumable, after the steps the reader saw: step " + checkpoint.stepsDone());
    }

    /** A writer that takes {@code capacity} characters, then fails as a full disk does. */
    private static Writer fillingUpAfter(int capacity) {
        return new Writer() {
            private int written;

            @Override
            public void write(char[] chars, int offset, int length) {
                written += length;
                if (written > capacity) throw OutputFailure.failed(new IOException("No space left on device"), false);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aRunWhoseOutputFillsTheDiskIsSavedBeforeTheError() throws IOException {
        Path saved = dir.resolve("filled.safetensors");
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"train", "--n-embd", "8", "--n-head", "2", "--steps", "50", "--save", saved.toString()},
                new PrintWriter(fillingUpAfter(200), true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertTrue(checkpoint.stepsDone() > 0 && checkpoint.stepsDone() < 50, "saved mid-run: step " + checkpoint.stepsDone());
        assertEquals("error: cannot write to standard output (No space left on device); the run was saved to " + saved
                + " at step " + checkpoint.stepsDone() + " / 50: resume with microgpt train --resume " + saved + "\n", err.toString());
    }
}
