package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress, validation and the summary of runs that stop early and resume. */
class ReportingWithCheckpointsTest {

    @Test
    void aResumedRunEvaluatesItsOwnHeldOutDocumentsAndSummarisesItsOwnSteps(@TempDir Path dir) {
        String ckpt = dir.resolve("run.safetensors").toString();
        CliRunner first = CliRunner.run("train", "--steps", "30", "--val-fraction", "0.1", "--eval-docs", "10",
                "--save", ckpt, "--stop-after", "12");
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(first.err().startsWith("summary: 12 steps in "), first.describe());
        assertTrue(first.err().contains("| val loss "), "stopping early evaluates once more: " + first.err());

        // No --val-fraction here: the saved run has held-out documents, so --eval-every is fine.
        CliRunner resumed = CliRunner.run("train", "--resume", ckpt, "--eval-every", "6", "--eval-docs", "10", "--samples", "0");
        assertEquals(0, resumed.exitCode(), resumed.describe());
        List<String> steps = resumed.out().lines().filter(l -> l.startsWith("step")).collect(Collectors.toList());
        assertEquals(18, steps.size(), resumed.out());
        assertTrue(steps.get(0).startsWith("step   13 /   30 | loss "), steps.get(0));
        List<String> evaluated = steps.stream().filter(l -> l.contains("| val ")).map(l -> l.substring(0, 9))
                .collect(Collectors.toList());
        assertEquals(List.of("step   18", "step   24", "step   30"), evaluated);
        assertTrue(resumed.err().startsWith("summary: 18 steps in "), resumed.err());
    }

    @Test
    void aResumedRunsMetricsAndChartCoverTheWholeRun(@TempDir Path dir) throws IOException {
        String ckpt = dir.resolve("run.safetensors").toString();
        Path fullCsv = dir.resolve("full.csv");
        Path firstCsv = dir.resolve("first.csv");
        Path resumedCsv = dir.resolve("resumed.csv");
        Path svg = dir.resolve("resumed.svg");
        String[] common = {"train", "--steps", "30", "--val-fraction", "0.1", "--eval-every", "10", "--eval-docs", "10", "--samples", "0"};
        CliRunner full = CliRunner.run(concat(common, "--metrics", fullCsv.toString()));
        assertEquals(0, full.exitCode(), full.describe());
        CliRunner first = CliRunner.run(concat(common, "--metrics", firstCsv.toString(), "--save", ckpt, "--stop-after", "15"));
        assertEquals(0, first.exitCode(), first.describe());
        CliRunner resumed = CliRunner.run("train", "--resume", ckpt, "--eval-every", "10", "--eval-docs", "10", "--samples", "0",
                "--metrics", resumedCsv.toString(), "--plot", svg.toString());
        assertEquals(0, resumed.exitCode(), resumed.describe());

        List<String> whole = Files.readAllLines(fullCsv);
        List<String> rows = Files.readAllLines(resumedCsv);
        assertEquals(31, rows.size(), "header and all 30 steps, not only the 15 after the resume");
        for (int step = 1; step <= 30; step++) {
            String[] expected = whole.get(step).split(",", -1);
            String[] actual = rows.get(step).split(",", -1);
            assertEquals(expected[0], actual[0], "step");
            assertEquals(expected[1], actual[1], "step " + step + "'s loss is the uninterrupted run's, to the last digit");
            if (step != 15) assertEquals(expected[4], actual[4], "step " + step + "'s validation loss");
            if (step <= 15) {
                assertEquals("", actual[2] + actual[3], "saved steps have no learning rate or time: " + rows.get(step));
            } else {
                assertEquals(expected[2], actual[2], "learning rate");
            }
        }
        // Stopping at 15 evaluated once more there; the checkpoint kept that point too.
        assertTrue(rows.get(15).matches("15,[^,]+,,,\\d.*"), "evaluated at the stop: " + rows.get(15));
        String chart = Files.readString(svg);
        String raw = chart.substring(chart.indexOf("<polyline points=\"") + 18);
        assertEquals(30, raw.substring(0, raw.indexOf('"')).split(" ").length, "the chart's per-step line has all 30 steps");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void evalEveryWithoutHeldOutDocumentsIsRefusedBeforeAnyOutput() {
        CliRunner r = CliRunner.run("train", "--steps", "5", "--eval-every", "2");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("", r.out());
    }
}
