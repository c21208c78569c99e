package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.files.LiveRuns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No run writes a file another live run reads or writes, across processes: a run resuming {@code r.safetensors}
 * (with {@code --metrics a.csv}, not written yet) is live in a process of its own, and every other process that
 * would write one of its files, by any name, is refused before its first step with one line naming the live run's
 * pid, and nothing on disk changes. A dead run's files are free again; of two runs started at once that would
 * write each other's files, exactly one starts. Every process here keeps its registry in a folder of the test's.
 */
class CrossRunFilesTest {
    private static final String[] TINY = {"--n-embd", "8", "--n-head", "2"};

    @TempDir
    Path dir;
    private Path runs;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void registryOfItsOwn() throws IOException {
        runs = Files.createDirectory(dir.resolve("runs"));
    }

    @AfterEach
    void endTheRuns() throws Exception {
        for (Process p : started) {
            // a sweep's runs first: once the sweep is killed they are no longer its descendants, and would train on
            List<ProcessHandle> runsOfIt = p.descendants().toList();
            runsOfIt.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle run : runsOfIt) run.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder microgpt(String... args) {
        List<String> command = new ArrayList<>(MainProcess.command("train"));
        command.addAll(List.of(TINY));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put(LiveRuns.FOLDER_VARIABLE, runs.toString());
        return builder;
    }

    /** Any microgpt command, in the test's folder and registry. */
    private ProcessBuilder command(String... args) {
        ProcessBuilder builder = new ProcessBuilder(MainProcess.command(args)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put(LiveRuns.FOLDER_VARIABLE, runs.toString());
        return builder;
    }

    /** A run that trains for hours, once it has printed its first step (it registered its files before that). */
    private Process liveRun(String... args) throws IOException {
        return live(microgpt(args), "step ");
    }

    /** A process that runs on, once it has printed a line starting with {@code ready}. */
    private Process live(ProcessBuilder builder, String ready) throws IOException {
        Process p = builder.start();
        started.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.startsWith(ready)) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ended) {
                        // the run was ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new AssertionError("the live process ended before '" + ready + "':\n" + said);
    }

    private record Ended(int code, List<String> errors, String output) {
    }

    /** Runs a command to its end; its error lines (without the JVM's notice about incubator modules). */
    private Ended run(ProcessBuilder builder) throws Exception {
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Ended(p.exitValue(), output.lines().filter(l -> l.startsWith("error: ")).toList(), output);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private void assertRefused(Ended e, String flagAndPath, String theirs, Process live) {
        assertEquals(2, e.code(), e.output());
        assertEquals(List.of("error: " + flagAndPath + " is a file another microgpt run (pid " + live.pid() + ") writes as its "
                + theirs + ": writing it could destroy that run's work; wait for the run to end, or choose another file"),
                e.errors(), e.output());
        assertTrue(!e.output().contains("step "), "refused before step 1:\n" + e.output());
    }

    @Test
    void noRunWritesAFileOfALiveRun() throws Exception {
        CliRunner made = CliRunner.run("train", TINY[0], TINY[1], TINY[2], TINY[3], "--steps", "100000000", "--stop-after", "1",
                "--samples", "0", "--save", dir.resolve("r.safetensors").toString());
        assertEquals(0, made.exitCode(), made.describe());
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("names.txt"), "anna\nbob\ncarl\n", StandardCharsets.UTF_8);
        CliRunner bpe = CliRunner.run("train", TINY[0], TINY[1], TINY[2], TINY[3], "--steps", "1", "--samples", "0", "--data",
                dir.resolve("names.txt").toString(), "--tokenizer", "bpe", "--vocab-size", "260", "--save",
                dir.resolve("bpe.safetensors").toString());
        assertEquals(0, bpe.exitCode(), bpe.describe());
        Files.createSymbolicLink(dir.resolve("link.safetensors"), Path.of("r.safetensors"));
        Process live = liveRun("--resume", "r.safetensors", "--metrics", "a.csv");
        byte[] checkpoint = Files.readAllBytes(dir.resolve("r.safetensors"));
        List<String> before = listing();

        assertRefused(run(microgpt("--steps", "5", "--save", "m2.safetensors", "--metrics", "r.safetensors")),
                "--metrics r.safetensors", "--resume r.safetensors", live);
        assertRefused(run(microgpt("--steps", "5", "--val-fraction", "0.1", "--save", "m2.safetensors", "--save-best",
                "sub/../r.safetensors")), "--save-best sub/../r.safetensors", "--resume r.safetensors", live);
        assertRefused(run(microgpt("--steps", "5", "--plot", "link.safetensors")), "--plot link.safetensors",
                "--resume r.safetensors", live);
        assertRefused(run(microgpt("--steps", "5", "--plot", "sub/../a.csv")), "--plot sub/../a.csv", "--metrics a.csv", live);
        assertRefused(run(command("bench", "--backend", "scalar", "--n-embd", "8", "--seconds", "0.02", "--rounds", "1",
                "--max-warmup", "0.1", "--json", "a.csv")), "--json a.csv", "--metrics a.csv", live);
        assertRefused(run(command("tokenizer", "train", "--data", "names.txt", "--vocab-size", "260", "--out", "link.safetensors")),
                "--out link.safetensors", "--resume r.safetensors", live);
        assertRefused(run(command("info", "bpe.safetensors", "--export-tokenizer", "a.csv")), "--export-tokenizer a.csv",
                "--metrics a.csv", live);

        assertArrayEquals(checkpoint, Files.readAllBytes(dir.resolve("r.safetensors")), "the live run's checkpoint is untouched");
        assertEquals(before, listing(), "nothing was written, no lock file left");

        Ended branching = run(microgpt("--resume", "link.safetensors", "--stop-after", "2", "--save", "branch.safetensors"));
        assertEquals(0, branching.code(), "reading a live run's checkpoint (to branch off it) is no clash:\n" + branching.output());

        live.destroyForcibly();
        assertTrue(live.waitFor(60, TimeUnit.SECONDS));
        Ended after = run(microgpt("--steps", "2", "--samples", "0", "--plot", "a.csv"));
        assertEquals(0, after.code(), "a dead run's files are free again:\n" + after.output());
        try (Stream<Path> entries = Files.list(runs)) {
            assertEquals(List.of("registry.lock"), entries.map(f -> f.getFileName().toString()).toList(),
                    "the dead run's entry was removed, the finished run's too");
        }
    }

    @Test
    void aSweepSharesItsFilesWithItsOwnTasksAndNoOneElse() throws Exception {
        Files.createDirectory(dir.resolve("s"));
        Process train = liveRun("--steps", "100000000", "--metrics", "s/results.jsonl");
        assertRefused(run(command("sweep", "--out", "s", "--index", "0", "--steps", "2", TINY[0], TINY[1], TINY[2], TINY[3])),
                "sweep results s/results.jsonl", "--metrics s/results.jsonl", train);
        assertTrue(!Files.exists(dir.resolve("s/plan.json")) && !Files.exists(dir.resolve("s/runs")), "no plan, no run folder");
        train.destroyForcibly();
        assertTrue(train.waitFor(60, TimeUnit.SECONDS));

        String[] task = {"sweep", "--out", "t", "--index", "0", "--steps", "100000000", TINY[0], TINY[1], TINY[2], TINY[3]};
        Process sweep = live(command(task), "run 0 of 1");
        byte[] plan = Files.readAllBytes(dir.resolve("t/plan.json"));
        assertRefused(run(microgpt("--steps", "5", "--save", "t/plan.json")), "--save t/plan.json", "sweep plan t/plan.json", sweep);
        assertRefused(run(microgpt("--steps", "5", "--metrics", "t/results.jsonl")), "--metrics t/results.jsonl",
                "sweep results t/results.jsonl", sweep);
        Path log = runLog(dir.resolve("t"));
        String logName = dir.relativize(log).toString();
        assertRefused(run(command("sweep", "report", "t", "--chart", logName)), "--chart " + logName, "run log " + logName, sweep);
        Ended onResults = run(command("sweep", "report", "t", "--chart", "t/results.jsonl"));
        assertEquals(2, onResults.code(), onResults.output());
        assertEquals(List.of("error: --chart t/results.jsonl is the sweep's results.jsonl: drawing the chart there would destroy it;"
                + " choose another file name"), onResults.errors());
        assertArrayEquals(plan, Files.readAllBytes(dir.resolve("t/plan.json")));
        Ended second = run(command(task));
        assertTrue(second.errors().isEmpty() && second.output().contains("skipped: another process is running it"),
                "a second task of the sweep shares its files:\n" + second.output());
    }

    @Test
    void ofTwoRunsStartedAtOnceThatWouldWriteEachOthersFilesOneStarts() throws Exception {
        Process x = microgpt("--steps", "100000000", "--save", "x.safetensors", "--metrics", "y.safetensors").start();
        Process y = microgpt("--steps", "100000000", "--save", "y.safetensors", "--metrics", "x.safetensors").start();
        started.add(x);
        started.add(y);
        String xSays = firstLines(x);
        String ySays = firstLines(y);
        boolean xRefused = xSays.contains("error: ");
        boolean yRefused = ySays.contains("error: ");
        assertTrue(xRefused != yRefused, "exactly one refused:\n--- x\n" + xSays + "\n--- y\n" + ySays);
        Process refused = xRefused ? x : y;
        Process running = xRefused ? y : x;
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        assertTrue((xRefused ? xSays : ySays).contains("another microgpt run (pid " + running.pid() + ")"), xSays + ySays);
        assertTrue((xRefused ? ySays : xSays).contains("step "), "the other one trains");
    }

    /** The log of the one run of the sweep in {@code sweepDir}, once its folder is made. */
    private static Path runLog(Path sweepDir) throws Exception {
        for (int wait = 0; wait < 600; wait++) {
            if (Files.isDirectory(sweepDir.resolve("runs"))) {
                try (Stream<Path> runs = Files.list(sweepDir.resolve("runs"))) {
                    List<Path> folders = runs.toList();
                    if (!folders.isEmpty()) return folders.get(0).resolve("train.log");
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no run folder in " + sweepDir);
    }

    /** What a process says up to its first step line or its error (standard error joined). */
    private static String firstLines(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.startsWith("step ") || line.startsWith("error: ")) break;
        }
        return said.toString();
    }
}
