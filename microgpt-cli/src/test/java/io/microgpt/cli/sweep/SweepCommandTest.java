package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.microgpt.core.Checkpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Sweeps of tiny runs through the CLI, each run a real {@code train} in a JVM of its own: a local sweep two at a
 * time, {@code --index} against {@code --list}, and {@code --resume} after the sweep was killed.
 */
class SweepCommandTest {
    @TempDir
    Path tmp;

    /** The non-empty values of a CSV column (by the header's name), in order. */
    private static List<Double> column(Path csv, String name) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int c = List.of(lines.get(0).split(",", -1)).indexOf(name);
        List<Double> values = new ArrayList<>();
        for (String row : lines.subList(1, lines.size())) {
            String cell = row.split(",", -1)[c];
            if (!cell.isEmpty()) values.add(Double.parseDouble(cell));
        }
        return values;
    }

    private static double lastValue(Path csv, String name) throws IOException {
        List<Double> values = column(csv, name);
        return values.get(values.size() - 1);
    }

    private static double minValue(Path csv, String name) throws IOException {
        return column(csv, name).stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    private static Map<Integer, JsonObject> results(Path dir) throws IOException {
        Map<Integer, JsonObject> byIndex = new TreeMap<>();
        Path file = dir.resolve("results.jsonl");
        if (!Files.exists(file)) return byIndex;
        for (String line : Files.readAllLines(file)) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals(null, byIndex.put(o.get("index").getAsInt(), o), "one line per run: " + line);
        }
        return byIndex;
    }

    private static int attempts(Path runDir) throws IOException {
        Path file = runDir.resolve("attempts.jsonl");
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    @Test
    void fourTinyRunsTwoAtATimeGiveFourResultLinesThatMatchTheirMetrics() throws Exception {
        Path out = tmp.resolve("sweep");
        SweepCli r = SweepCli.sweep("--out", out.toString(), "--n-embd", "8,16", "--lr", "0.01,0.02", "--steps", "6", "--parallel", "2");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("plan: 4 runs (--n-embd 8,16 x --lr 0.01,0.02)"), r.describe());

        Map<Integer, JsonObject> results = results(out);
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(results.keySet()), r.describe());
        String[][] grid = {{"8", "0.01"}, {"8", "0.02"}, {"16", "0.01"}, {"16", "0.02"}};   // the last flag fastest
        for (int i = 0; i < 4; i++) {
            JsonObject line = results.get(i);
            Path run = out.resolve("runs").resolve(String.format("%03d", i));
            Path metrics = run.resolve("metrics.csv");
            assertEquals(grid[i][0], line.getAsJsonObject("flags").get("--n-embd").getAsString());
            assertEquals(grid[i][1], line.getAsJsonObject("flags").get("--lr").getAsString());
            // the run's own files say the same as its result line, to the last bit
            assertEquals(lastValue(metrics, "val_loss"), line.get("final_val_loss").getAsDouble(), 0, "run " + i + " final val loss");
            assertEquals(minValue(metrics, "val_loss"), line.get("best_val_loss").getAsDouble(), 0, "run " + i + " best val loss");
            assertEquals(lastValue(metrics, "loss"), line.get("final_loss").getAsDouble(), 0, "run " + i + " last loss");
            Checkpoint saved = Checkpoint.read(run.resolve("checkpoint.safetensors"));
            assertEquals(6, saved.stepsDone());
            assertEquals(6, line.get("steps").getAsInt());
            assertEquals(saved.trainingConfig().batchSize(), line.get("batch").getAsInt());
            assertEquals(Integer.parseInt(grid[i][0]), saved.modelConfig().nEmbd());
            assertEquals(Double.parseDouble(grid[i][1]), saved.trainingConfig().learningRate());
            String log = Files.readString(run.resolve("train.log"));
            Matcher params = Pattern.compile("num params: (\\d+)").matcher(log);
            assertTrue(params.find(), log);
            assertEquals(Long.parseLong(params.group(1)), line.get("parameters").getAsLong());
            assertTrue(line.get("wall_seconds").getAsDouble() > 0);
            assertTrue(line.get("us_per_sample").getAsDouble() > 0);
            assertEquals(1, line.get("attempts").getAsInt());
            assertTrue(Files.exists(run.resolve("loss.svg")));
        }
        // two at a time: the first two runs' attempts overlap in time
        JsonObject a0 = JsonParser.parseString(Files.readAllLines(out.resolve("runs/000/attempts.jsonl")).get(0)).getAsJsonObject();
        JsonObject a1 = JsonParser.parseString(Files.readAllLines(out.resolve("runs/001/attempts.jsonl")).get(0)).getAsJsonObject();
        Instant end0 = Instant.parse(a0.get("started").getAsString()).plusMillis((long) (a0.get("seconds").getAsDouble() * 1000));
        assertTrue(Instant.parse(a1.get("started").getAsString()).isBefore(end0), "runs 000 and 001 ran side by side");

        // the report: best first, and a chart with one point per run
        SweepCli report = SweepCli.run("sweep", "report", out.toString());
        assertEquals(0, report.exitCode(), report.describe());
        List<Double> shown = new ArrayList<>();
        for (String row : report.out().lines().filter(l -> l.matches("\\s*\\d+\\s+\\d{3}\\s.*")).toList()) {
            shown.add(Double.parseDouble(row.trim().split("\\s+")[4]));
        }
        assertEquals(4, shown.size(), report.describe());
        for (int i = 1; i < shown.size(); i++) assertTrue(shown.get(i - 1) <= shown.get(i), "sorted by validation loss: " + report.out());
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(out.resolve("sweep.svg"))));
        assertEquals(4 + 2, svg.getElementsByTagName("circle").getLength(), "a point per run and two in the legend");

        // the same command again finds everything done and redoes nothing
        SweepCli again = SweepCli.sweep("--out", out.toString(), "--n-embd", "8,16", "--lr", "0.01,0.02", "--steps", "6", "--parallel", "2");
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.out().contains("all 4 runs are finished"), again.describe());
        assertEquals(4, results(out).size());
        assertEquals(1, attempts(out.resolve("runs/003")));
    }

    @Test
    void indexRunsExactlyTheRunThatListNames() throws Exception {
        Path out = tmp.resolve("array");
        String[] grid = {"--out", out.toString(), "--n-embd", "8", "--seed", "1,2", "--lr", "0.01,0.02", "--steps", "4"};
        List<String> withList = new ArrayList<>(List.of(grid));
        withList.add("--list");
        SweepCli list = SweepCli.sweep(withList.toArray(String[]::new));
        assertEquals(0, list.exitCode(), list.describe());
        assertFalse(Files.exists(out.resolve("results.jsonl")), "--list runs nothing");
        Matcher row = Pattern.compile("(?m)^\\s+2\\s+(--seed \\S+ --lr \\S+)").matcher(list.out());
        assertTrue(row.find(), list.describe());
        assertEquals("--seed 2 --lr 0.01", row.group(1), "the last flag varies fastest");

        List<String> withIndex = new ArrayList<>(List.of(grid));
        withIndex.addAll(List.of("--index", "2"));
        SweepCli one = SweepCli.sweep(withIndex.toArray(String[]::new));
        assertEquals(0, one.exitCode(), one.describe());
        Map<Integer, JsonObject> results = results(out);
        assertEquals(List.of(2), List.copyOf(results.keySet()));
        assertEquals("2", results.get(2).getAsJsonObject("flags").get("--seed").getAsString());
        assertEquals("0.01", results.get(2).getAsJsonObject("flags").get("--lr").getAsString());
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            assertEquals(List.of("002"), runs.map(p -> p.getFileName().toString()).toList(), "only run 2 has a folder");
        }
        // resubmitted, the task finds its run done
        SweepCli twice = SweepCli.sweep(withIndex.toArray(String[]::new));
        assertEquals(0, twice.exitCode(), twice.describe());
        assertTrue(twice.out().contains("run 002 is already finished"), twice.describe());
        assertEquals(1, results(out).size());
        assertEquals(1, attempts(out.resolve("runs/002")));
        // and --list now says which run is done
        SweepCli listed = SweepCli.run("sweep", "--resume", out.toString(), "--list");
        assertTrue(listed.out().lines().anyMatch(l -> l.matches("\\s+2\\s.*finished$")), listed.describe());
    }

    @Test
    void resumeAfterAKilledSweepRunsOnlyTheMissingRuns() throws Exception {
        Path out = tmp.resolve("killed");
        // run 1 is long enough to be caught running; runs 0 and 2 are short (values of an axis differ)
        List<String> args = new ArrayList<>(List.of("sweep", "--out", out.toString(), "--steps", "20,4000,21", "--n-embd", "8",
                "--parallel", "1"));
        args.addAll(SweepCli.TINY);
        Path parentLog = tmp.resolve("sweep.log");
        Process sweep = new ProcessBuilder(ChildJvm.microgpt(args)).redirectErrorStream(true).redirectOutput(parentLog.toFile()).start();
        Path run1Log = out.resolve("runs/001/train.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(run1Log) && Files.readString(run1Log).contains("\nstep "))) {
            assertTrue(sweep.isAlive(), "the sweep ended before run 1 trained:\n" + Files.readString(parentLog));
            assertTrue(System.nanoTime() < deadline, "run 1 did not start training:\n" + Files.readString(parentLog));
            Thread.sleep(20);
        }
        sweep.destroy();   // SIGTERM, as a cluster's pre-emption or kill sends it
        assertTrue(sweep.waitFor(120, TimeUnit.SECONDS), "the sweep stops once its run has saved");
        String before = Files.readString(parentLog);
        assertEquals(List.of(0), List.copyOf(results(out).keySet()), before);
        String finishedAt = results(out).get(0).get("finished_at").getAsString();
        Checkpoint stopped = Checkpoint.read(out.resolve("runs/001/checkpoint.safetensors"));
        assertTrue(stopped.stepsDone() > 0 && stopped.stepsDone() < 4000, "run 1 saved mid-way: step " + stopped.stepsDone());
        assertFalse(Files.exists(out.resolve("runs/002")), "run 2 never started");
        assertTrue(before.contains("run 001 stopped at step"), before);

        SweepCli resumed = SweepCli.run("sweep", "--resume", out.toString(), "--parallel", "1");
        assertEquals(0, resumed.exitCode(), resumed.describe());
        assertTrue(resumed.out().contains("1 of 3 runs finished already: running the other 2"), resumed.describe());
        Map<Integer, JsonObject> results = results(out);
        assertEquals(List.of(0, 1, 2), List.copyOf(results.keySet()), resumed.describe());
        assertEquals(finishedAt, results.get(0).get("finished_at").getAsString(), "run 0 kept, not redone");
        assertEquals(1, attempts(out.resolve("runs/000")));
        assertEquals(2, attempts(out.resolve("runs/001")));
        assertEquals(2, results.get(1).get("attempts").getAsInt());
        assertEquals(4000, results.get(1).get("steps").getAsInt());
        assertTrue(Files.readString(out.resolve("runs/001/train.log")).contains("resuming " + out.resolve("runs/001/checkpoint.safetensors")
                + " at step " + stopped.stepsDone() + " / 4000"), "run 1 went on from its checkpoint");
        assertEquals(1, attempts(out.resolve("runs/002")));
    }
}
