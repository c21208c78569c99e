package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.files.SaveLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of the user's is overwritten or lost, and no input hangs: each case is one refused command with its
 * exact one-line message, and the file it protects left byte for byte as it was.
 */
class UserFilesTest {
    private static final String[] TINY = {"--n-embd", "4", "--n-head", "1", "--block-size", "8", "--samples", "0"};

    @TempDir
    Path dir;

    private static CliRunner train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(Arrays.asList(TINY));
        args.addAll(Arrays.asList(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static void assertRefused(CliRunner r, String expectedError) {
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("error: " + expectedError + "\n", r.err(), r.describe());
        assertFalse(r.out().contains("step "), "refused before the first step:\n" + r.describe());
    }

    private Path names() throws IOException {
        return Files.writeString(dir.resolve("names.txt"), "anna\nbob\ncarl\ndora\nemil\n", StandardCharsets.UTF_8);
    }

    /** A resumable run stopped after step 1 of 3, on {@code data}. */
    private Path stoppedRun(String name, Path data) {
        Path k = dir.resolve(name);
        CliRunner r = train("--data", data.toString(), "--steps", "3", "--save", k.toString(), "--stop-after", "1");
        assertEquals(0, r.exitCode(), r.describe());
        return k;
    }

    @Test
    void noOutputMayBeTheDataset() throws IOException {
        Path data = names();
        byte[] before = Files.readAllBytes(data);
        String dotted = dir.resolve(".").resolve("names.txt").toString();
        assertRefused(train("--data", data.toString(), "--steps", "1", "--save", dotted),
                "--save " + dotted + " is the same file as --data " + data + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        assertRefused(train("--data", data.toString(), "--steps", "1", "--metrics", dotted),
                "--metrics " + dotted + " is the same file as --data " + data + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        Path link = Files.createSymbolicLink(dir.resolve("link.svg"), data);
        assertRefused(train("--data", data.toString(), "--steps", "1", "--plot", link.toString()),
                "--plot " + link + " is the same file as --data " + data + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        Path best = dir.resolve("best.safetensors");
        assertRefused(train("--data", data.toString(), "--steps", "1", "--val-fraction", "0.2", "--save-best", best.toString(),
                        "--metrics", best.toString()),
                "--metrics " + best + " is the same file as --save-best " + best + ": each output needs its own file");
        assertArrayEquals(before, Files.readAllBytes(data));
    }

    @Test
    void metricsOntoTheResumedCheckpointAreRefusedAndTheCheckpointKept() throws IOException {
        Path k = stoppedRun("k.safetensors", names());
        byte[] before = Files.readAllBytes(k);
        assertRefused(train("--resume", k.toString(), "--metrics", k.toString()),
                "--metrics " + k + " is the same file as --resume " + k + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        assertArrayEquals(before, Files.readAllBytes(k), "the checkpoint is untouched");
    }

    @Test
    void twoOutputsMayNotShareAFile() {
        Path out = dir.resolve("out");
        assertRefused(train("--steps", "1", "--save", out.toString(), "--metrics", out.toString()),
                "--metrics " + out + " is the same file as --save " + out + ": each output needs its own file");
        assertFalse(Files.exists(out));
    }

    @Test
    void weightsOnlyMayNotReplaceTheOnlyResumableCopy() throws IOException {
        Path k = stoppedRun("k.safetensors", names());
        byte[] before = Files.readAllBytes(k);
        assertRefused(train("--resume", k.toString(), "--weights-only"),
                "--weights-only would replace " + k + ", the only resumable copy of the unfinished run, with weights only:"
                        + " add --save OTHER.safetensors to write the weights elsewhere");
        assertArrayEquals(before, Files.readAllBytes(k));
        Path weights = dir.resolve("w.safetensors");
        CliRunner ok = train("--resume", k.toString(), "--weights-only", "--save", weights.toString());
        assertEquals(0, ok.exitCode(), ok.describe());
        assertTrue(Checkpoint.read(weights).trainingState().isEmpty());
        assertArrayEquals(before, Files.readAllBytes(k), "the resumable copy stays");
    }

    @Test
    void nonRegularTargetsAreRefusedBeforeTraining() throws Exception {
        assertRefused(train("--steps", "1", "--save", "/dev/null"),
                "--save /dev/null is not a regular file (a device, FIFO or socket): microgpt writes only regular files and"
                        + " leaves this one as it is");
        Path fifo = mkfifo("fifo");
        assertRefused(train("--steps", "1", "--metrics", fifo.toString()),
                "--metrics " + fifo + " is not a regular file (a device, FIFO or socket): microgpt writes only regular files"
                        + " and leaves this one as it is");
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
    }

    @Test
    void theResumeTargetIsCheckedBeforeTheFirstStep() throws IOException {
        Path k = stoppedRun("k.safetensors", names());
        Files.createLink(dir.resolve("k-backup.safetensors"), k);
        assertRefused(train("--resume", k.toString()),
                "--resume " + k + " has 2 hard links; replacing it would leave the other names with the old content:"
                        + " save to a new name, or remove the other links first");
    }

    @Test
    void aSecondRunSavingToTheSameFileIsRefused() {
        Path k = dir.resolve("k.safetensors");
        try (SaveLock held = SaveLock.acquire(k)) {
            assertRefused(train("--steps", "1", "--save", k.toString()),
                    k + " is being saved to by another run in this process; save to another file");
        }
        CliRunner r = train("--steps", "1", "--save", k.toString());
        assertEquals(0, r.exitCode(), "the lock is gone once its run ends\n" + r.describe());
        assertFalse(Files.exists(dir.resolve(".k.safetensors.lock")), "and so is its file");
    }

    @Test
    void stopAfterBeyondTheLastStepIsRefused() {
        assertRefused(train("--steps", "3", "--stop-after", "5", "--save", dir.resolve("k").toString()),
                "--stop-after 5 is after the run's last step (3), so it would never stop the run: leave it out, or plan more steps");
    }

    @Test
    void theCheckpointsDatasetPathIsReadAsDataOnly() throws Exception {
        Path data = names();
        Path k = stoppedRun("k.safetensors", data);
        Files.delete(data);
        Path fifo = mkfifo("names.txt");
        CliRunner r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> train("--resume", k.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("reading the run's documents from '" + data + "' (the dataset " + k + " names; --data FILE reads another copy)\n"
                + "error: the run trained on '" + data + "', which cannot be read now (dataset " + fifo + " is not a regular file"
                + " (a pipe, device or socket); microgpt reads only regular files: save the content to a file first);"
                + " give the same documents explicitly (CLI: --data FILE)\n", r.err());
    }

    @Test
    void pipesAndDevicesAreNeverReadAsFiles() throws Exception {
        Path fifo = mkfifo("pipe");
        String notRegular = " is not a regular file (a pipe, device or socket); microgpt reads only regular files:"
                + " save the content to a file first";
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertRefused(train("--data", fifo.toString()), "--data " + fifo + notRegular);
            assertRefused(CliRunner.run("info", fifo.toString()), "checkpoint " + fifo + notRegular);
            assertRefused(CliRunner.run("sample", "--model", fifo.toString()), "--model " + fifo + notRegular);
            assertRefused(train("--data", "/dev/zero"), "--data /dev/zero" + notRegular);
            assertRefused(train("--tokenizer-file", fifo.toString()), "--tokenizer-file " + fifo + notRegular);
            assertRefused(train("--tokenizer-file", "/dev/zero"), "--tokenizer-file /dev/zero" + notRegular);
            assertRefused(CliRunner.run("tokenizer", "info", "--tokenizer-file", fifo.toString()), "--tokenizer-file " + fifo + notRegular);
            assertRefused(CliRunner.run("sweep", "--out", dir.resolve("sweep").toString(), "--grid", fifo.toString()),
                    "--grid " + fifo + notRegular);
        });
        Path k = dir.resolve("k.safetensors");
        assertEquals(0, train("--steps", "1", "--save", k.toString()).exitCode());
        assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertRefused(CliRunner.run("sample", "--model", k.toString(), "--data", fifo.toString()), "--data " + fifo + notRegular));
    }

    @Test
    void tokenizerFilesMayNotReplaceWhatTheCommandReads() throws IOException {
        Path data = names();
        byte[] text = Files.readAllBytes(data);
        assertRefused(CliRunner.run("tokenizer", "train", "--data", data.toString(), "--vocab-size", "300", "--out", data.toString()),
                "--out " + data + " is the same file as --data " + data + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        assertArrayEquals(text, Files.readAllBytes(data));
        Path json = dir.resolve("t.json");
        CliRunner learned = CliRunner.run("tokenizer", "train", "--data", data.toString(), "--vocab-size", "260", "--out", json.toString());
        assertEquals(0, learned.exitCode(), learned.describe());
        Path k = dir.resolve("k.safetensors");
        assertEquals(0, train("--data", data.toString(), "--tokenizer-file", json.toString(), "--steps", "1", "--save", k.toString())
                .exitCode());
        byte[] checkpoint = Files.readAllBytes(k);
        CliRunner onto = CliRunner.run("info", k.toString(), "--export-tokenizer", k.toString());
        assertEquals(Main.EXIT_BAD_INPUT, onto.exitCode(), onto.describe());
        assertEquals("error: --export-tokenizer " + k + " is the same file as checkpoint " + k + ": writing it would destroy what"
                + " the run reads; choose another file name\n", onto.err());
        assertEquals("", onto.out(), "refused before anything is printed");
        assertArrayEquals(checkpoint, Files.readAllBytes(k));
    }

    /** Every file a flag names is named by that flag when it cannot be read, in one form: {@code FLAG FILE problem}. */
    @Test
    void everyInputFileErrorNamesItsFlag() throws IOException {
        Path none = dir.resolve("none");
        Path k = dir.resolve("k.safetensors");
        assertEquals(0, train("--steps", "1", "--save", k.toString()).exitCode());
        String[][] cases = {
                {"--data", "train", "--data", none.toString()},
                {"--data", "train", "--layout", "stream", "--data", none.toString()},
                {"--data", "sample", "--model", k.toString(), "--data", none.toString()},
                {"--data", "bench", "--data", none.toString()},
                {"--data", "gradcheck", "--data", none.toString()},
                {"--data", "tokenizer", "train", "--data", none.toString(), "--out", dir.resolve("t.json").toString()},
                {"--data", "tokenizer", "info", "--model", k.toString(), "--data", none.toString()},
                {"--tokenizer-file", "train", "--tokenizer-file", none.toString()},
                {"--tokenizer-file", "tokenizer", "encode", "--tokenizer-file", none.toString(), k.toString()},
                {"--model", "sample", "--model", none.toString()},
                {"--model", "tokenizer", "info", "--model", none.toString()},
                {"--resume", "train", "--resume", none.toString()},
                {"--grid", "sweep", "--out", dir.resolve("s").toString(), "--grid", none.toString()},
                {"checkpoint", "info", none.toString()},
        };
        for (String[] c : cases) {
            CliRunner r = CliRunner.run(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
            assertEquals("error: " + c[0] + " " + none + " does not exist\n", r.err(), String.join(" ", c));
        }
        Path latin1 = Files.write(dir.resolve("latin1.txt"), new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        assertRefused(train("--data", latin1.toString()), "--data " + latin1 + " is not valid UTF-8 (line 2)");
    }

    @Test
    void benchChecksItsJsonPathBeforeMeasuring() throws IOException {
        CliRunner r = CliRunner.run("bench", "--json", "/nonexistent/x.json", "--seconds", "30");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("error: --json /nonexistent/x.json: folder /nonexistent does not exist; create it first\n", r.err());
        Path data = Files.writeString(dir.resolve("d.txt"), "anna\nbob\n", StandardCharsets.UTF_8);
        byte[] before = Files.readAllBytes(data);
        assertRefused(CliRunner.run("bench", "--data", data.toString(), "--json", data.toString()),
                "--json " + data + " is the same file as --data " + data + ": writing it would destroy what the run reads;"
                        + " choose another file name");
        assertArrayEquals(before, Files.readAllBytes(data));
    }

    private Path mkfifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo available");
        return fifo;
    }
}
