package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.reference.ReferenceTraces;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What {@code train} prints when its output is not a terminal (as in every test). */
class TrainOutputTest {

    @Test
    void defaultOutputIsTheReferenceByteForByte() {
        CliRunner r = CliRunner.run("train");
        assertEquals(0, r.exitCode(), r.err());
        String expected = String.join("\n", ReferenceTraces.stdout()) + "\n";
        assertEquals(expected, r.out());
        // The summary goes to standard error, one line.
        assertTrue(r.err().matches("summary: 1,000 steps in \\S+ \\| [\\d,]+ µs/sample \\| [\\d,]+ samples/s"
                + " \\| smoothed loss \\d\\.\\d{4}\n"), r.err());
    }

    @Test
    void logEveryPrintsEveryNthStepAndTheLast() {
        CliRunner r = CliRunner.run("train", "--steps", "25", "--log-every", "10", "--samples", "0");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> stepLines = r.out().lines().filter(l -> l.startsWith("step")).collect(Collectors.toList());
        List<String> expected = List.of(
                referenceStepLine(10).replace("/ 1000", "/   25"),
                referenceStepLine(20).replace("/ 1000", "/   25"),
                referenceStepLine(25).replace("/ 1000", "/   25"));
        // Steps 1..25 train on the reference's first 25 documents; only the learning-rate decay differs, so
        // step 1's loss is the reference's and the later ones are close to it. Compare the format and step numbers.
        assertEquals(3, stepLines.size(), r.out());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).substring(0, 19), stepLines.get(i).substring(0, 19));
            assertTrue(stepLines.get(i).matches("step +\\d+ / +25 \\| loss \\d\\.\\d{4}"), stepLines.get(i));
        }
    }

    @Test
    void everyBackendTrainsAndSamplesAModelWithoutLayers() {
        for (io.microgpt.core.spi.Backend b : io.microgpt.core.Backends.available()) {
            CliRunner r = CliRunner.run("train", "--backend", b.name(), "--n-layer", "0", "--steps", "5", "--samples", "2");
            assertEquals(0, r.exitCode(), b.name() + ": " + r.describe());
            assertTrue(r.out().contains("num params: " + (27 * 16 + 16 * 16 + 27 * 16) + "\n"), "wte, wpe, lm_head: " + r.out());
            assertEquals(5, r.out().lines().filter(l -> l.matches("step +\\d / +5 \\| loss \\d\\.\\d{4}")).count(), r.out());
            assertEquals(2, r.out().lines().filter(l -> l.startsWith("sample ")).count(), r.out());
        }
    }

    @Test
    void quietPrintsOnlyTheSamplesAndTheSummary() {
        CliRunner r = CliRunner.run("train", "--steps", "30", "--samples", "3", "--quiet");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertEquals(3, lines.size(), r.out());
        for (int i = 0; i < 3; i++) assertTrue(lines.get(i).startsWith(String.format("sample %2d: ", i + 1)), r.out());
        assertTrue(r.err().startsWith("summary: 30 steps in "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void validationAddsHeldOutLossesWithoutChangingTraining() {
        // The held-out documents are the last 10% of the shuffled order, so the first 20 steps train on the
        // reference's documents with the reference's weights: the losses must be the reference's to 4 decimals.
        CliRunner r = CliRunner.run("train", "--steps", "1000", "--val-fraction", "0.1", "--eval-every", "250", "--eval-docs", "50",
                "--samples", "0");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> stepLines = r.out().lines().filter(l -> l.startsWith("step")).collect(Collectors.toList());
        assertEquals(1000, stepLines.size());
        for (int step = 1; step <= 1000; step++) {
            String line = stepLines.get(step - 1);
            String expected = referenceStepLine(step);
            if (step % 250 == 0) {
                assertTrue(line.matches(java.util.regex.Pattern.quote(expected) + " \\| val \\d\\.\\d{4} \\| val bpc \\d\\.\\d{4}"), line);
                // characters are tokens here: bits per character is the loss in bits, loss / ln 2
                String[] f = line.split(" ");
                double val = Double.parseDouble(f[f.length - 5]);
                double bpc = Double.parseDouble(f[f.length - 1]);
                assertEquals(val / Math.log(2), bpc, 0.5e-4 / Math.log(2) + 0.5e-4, line);
            } else {
                assertEquals(expected, line);
            }
        }
        assertTrue(r.out().startsWith("num docs: 32033\n"), "num docs counts the whole dataset\n" + r.out());
        assertTrue(r.err().contains("| val loss "), r.err());
        assertTrue(r.err().contains("(50 of 3,203 held-out docs)"), r.err());
        // The last evaluation is the summary's validation loss.
        String[] last = stepLines.get(999).split(" ");
        assertTrue(r.err().contains("val loss " + last[last.length - 5] + " "), r.err());
        assertTrue(r.err().endsWith("| val bpc " + last[last.length - 1] + "\n"), r.err());
    }

    @Test
    void evaluatingChangesNeitherTheLossesNorTheSampledNames() {
        CliRunner without = CliRunner.run("train", "--steps", "60", "--val-fraction", "0.1", "--samples", "5", "--eval-every", "0");
        CliRunner with = CliRunner.run("train", "--steps", "60", "--val-fraction", "0.1", "--samples", "5", "--eval-every", "7");
        assertEquals(0, with.exitCode(), with.describe());
        assertEquals(9, with.out().lines().filter(l -> l.contains("| val ")).count(), "steps 7, 14, ..., 56 and 60");
        String validation = " \\| val \\d\\.\\d{4} \\| val bpc \\d\\.\\d{4}";
        assertEquals(without.out().replaceAll(validation, ""), with.out().replaceAll(validation, ""));
    }

    @Test
    void validationFractionAloneEvaluatesTenTimes() {
        CliRunner r = CliRunner.run("train", "--steps", "40", "--val-fraction", "0.05", "--eval-docs", "10", "--samples", "0");
        assertEquals(0, r.exitCode(), r.describe());
        List<Integer> evaluated = new ArrayList<>();
        r.out().lines().filter(l -> l.contains("| val ")).forEach(l -> evaluated.add(Integer.parseInt(l.substring(5, 9).trim())));
        assertEquals(List.of(4, 8, 12, 16, 20, 24, 28, 32, 36, 40), evaluated);
    }

    @Test
    void aDivergedRunSaysSoInItsSummary() {
        CliRunner r = CliRunner.run("train", "--steps", "20", "--lr", "1e6", "--samples", "0");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("step   20 /   20 | loss nan\n"), r.out());
        assertTrue(r.err().endsWith("smoothed loss nan (training diverged: try a lower --lr)\n"), r.err());
    }

    @Test
    void summaryWithoutValidationHasNoValidationLoss() {
        CliRunner r = CliRunner.run("train", "--steps", "5", "--samples", "0");
        assertFalse(r.err().contains("val"), r.err());
    }

    @Test
    void badReportingOptionsExitWithTwoAndOneLine() {
        String[][] cases = {
                {"--log-every", "0", "error: --log-every must be 1 or more, got 0"},
                {"--val-fraction", "1", "error: --val-fraction must be at least 0 and below 1, got 1.0"},
                {"--val-fraction", "-0.1", "error: --val-fraction must be at least 0 and below 1, got -0.1"},
                {"--eval-every", "5", "error: --eval-every needs held-out documents: add --val-fraction (e.g. --val-fraction 0.1)"},
                {"--eval-docs", "0", "error: --eval-docs must be 1 or more, got 0"},
                {"--metrics", "/nonexistent-dir-xyz/m.csv",
                        "error: --metrics /nonexistent-dir-xyz/m.csv: folder /nonexistent-dir-xyz does not exist; create it first"},
                {"--plot", System.getProperty("java.io.tmpdir"),
                        "error: --plot " + System.getProperty("java.io.tmpdir") + " is a folder; give a file name"},
        };
        for (String[] c : cases) {
            CliRunner r = CliRunner.run("train", c[0], c[1]);
            assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), String.join(" ", c) + "\n" + r.describe());
            assertEquals(c[2] + "\n", r.err(), String.join(" ", c));
            assertEquals("", r.out(), "nothing trained for " + String.join(" ", c));
        }
    }

    @Test
    void helpDocumentsTheReportingFlagsAndWhereTheSummaryGoes() {
        CliRunner r = CliRunner.run("train", "--help");
        assertEquals(0, r.exitCode(), r.describe());
        for (String flag : new String[] {"--log-every", "--quiet", "--metrics", "--plot", "--val-fraction", "--eval-every", "--eval-docs"}) {
            assertTrue(r.out().contains(flag), flag + " missing from help\n" + r.out());
        }
        assertTrue(r.out().replaceAll("\\s+", " ").contains("goes to standard error"), r.out());
        CliRunner g = CliRunner.run("gradcheck", "--help");
        assertEquals(0, g.exitCode(), g.describe());
        assertTrue(g.out().replaceAll("\\s+", " ").contains("Exit code 0 when every difference is within tolerance, 1 otherwise"),
                g.out());
    }

    /** The reference's printed line of this step. */
    static String referenceStepLine(int step) {
        return ReferenceTraces.stdout().get(2 + step);
    }
}
