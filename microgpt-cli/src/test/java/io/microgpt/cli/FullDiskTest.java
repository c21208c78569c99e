package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microgpt.core.Checkpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report that cannot be written costs no training: on a real full disk (a 64 KiB tmpfs filled to the last
 * block, so this needs root, as CI runs), a failing {@code --metrics}, {@code --plot} or {@code --save-best} is
 * reported with one error line after the checkpoint on a healthy disk is saved, and leaves no empty or partial
 * file (a previous file of that name stays byte for byte); {@code bench --json} likewise.
 */
class FullDiskTest {
    private static final String[] TINY = {"--n-embd", "8", "--n-head", "2", "--samples", "0"};
    private static final byte[] OLD = "an older report, to be kept\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static Path full;
    private static boolean mounted;

    @BeforeAll
    static void mountAFullDisk() throws Exception {
        full = Files.createDirectory(dir.resolve("full"));
        assumeTrue("root".equals(System.getProperty("user.name")), "a real full disk needs root (to mount a tmpfs)");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "mount -t tmpfs failed: " + said);
        mounted = true;
        for (String name : new String[] {"old.csv", "old.svg", "old.json"}) Files.write(full.resolve(name), OLD);
        try (OutputStream filler = Files.newOutputStream(full.resolve("filler"))) {
            byte[] block = new byte[4096];
            for (int i = 0; i < 1000; i++) filler.write(block);
        } catch (IOException diskFull) {
            // what we wanted: not one more block fits
        }
        assertEquals(0, Files.getFileStore(full).getUsableSpace(), "the disk is full");
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mounted) new ProcessBuilder("umount", full.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    private static CliRunner train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(TINY));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** The one error line of a run whose report failed; the checkpoint is saved, complete, before it. */
    private static String assertSavedThenOneError(CliRunner r, Path saved, int steps) {
        assertEquals(2, r.exitCode(), r.describe());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.describe());
        assertTrue(r.err().strip().endsWith(errors.get(0)), "the error is the last thing said\n" + r.describe());
        assertTrue(errors.get(0).endsWith("; the run itself was saved to " + saved + " (step " + steps + " / " + steps + ")"),
                r.describe());
        Checkpoint checkpoint = Checkpoint.read(saved);
        assertEquals(steps, checkpoint.stepsDone());
        assertTrue(checkpoint.trainingState().isPresent());
        assertTrue(r.out().contains("saved " + saved + " (step " + steps + " / " + steps + ")"), r.describe());
        return errors.get(0);
    }

    /** Nothing but the filler and the old files is on the full disk: no new file, empty or not, no temporary file. */
    private static void assertNothingNewOnTheFullDisk() throws IOException {
        try (Stream<Path> files = Files.list(full)) {
            assertEquals(List.of("filler", "old.csv", "old.json", "old.svg"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String name : new String[] {"old.csv", "old.svg", "old.json"}) assertArrayEquals(OLD, Files.readAllBytes(full.resolve(name)));
    }

    @Test
    void metricsOnAFullDiskCostNoTraining() throws IOException {
        Path saved = dir.resolve("metrics-run.safetensors");
        Path metrics = full.resolve("old.csv");
        String error = assertSavedThenOneError(train("--steps", "150", "--metrics", metrics.toString(), "--save", saved.toString()),
                saved, 150);
        assertTrue(error.startsWith("error: --metrics: cannot write " + metrics + ": "), error);
        assertTrue(error.contains("No space left on device (any previous file there is untouched)"), error);
        assertNothingNewOnTheFullDisk();
    }

    @Test
    void aPlotOnAFullDiskCostsNoTraining() throws IOException {
        Path saved = dir.resolve("plot-run.safetensors");
        Path plot = full.resolve("old.svg");
        String error = assertSavedThenOneError(train("--steps", "40", "--plot", plot.toString(), "--save", saved.toString()), saved, 40);
        assertTrue(error.startsWith("error: --plot: cannot write " + plot + ": "), error);
        assertNothingNewOnTheFullDisk();
    }

    @Test
    void aBestCheckpointOnAFullDiskCostsNoTraining() throws IOException {
        Path saved = dir.resolve("best-run.safetensors");
        Path best = full.resolve("best.safetensors");
        String error = assertSavedThenOneError(train("--steps", "20", "--val-fraction", "0.1", "--eval-every", "5", "--eval-docs", "8",
                "--save-best", best.toString(), "--save", saved.toString()), saved, 20);
        assertTrue(error.startsWith("error: --save-best at step 5: cannot write " + best + ": "), error);
        assertNothingNewOnTheFullDisk();
    }

    @Test
    void benchJsonOnAFullDiskIsOneErrorAndNoFile() throws IOException {
        Path json = full.resolve("old.json");
        CliRunner r = CliRunner.run("bench", "--backend", "scalar", "--n-embd", "8", "--seconds", "0.02", "--rounds", "2",
                "--max-warmup", "0.1", "--json", json.toString());
        assertEquals(2, r.exitCode(), r.describe());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.describe());
        assertTrue(r.err().strip().endsWith(errors.get(0)), r.describe());
        assertTrue(errors.get(0).startsWith("error: --json: cannot write " + json + ": "), r.describe());
        assertNothingNewOnTheFullDisk();
    }
}
