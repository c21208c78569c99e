package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void evalEveryWithoutHeldOutDocumentsIsRefusedBeforeAnyOutput() {
        CliRunner r = CliRunner.run("train", "--steps", "5", "--eval-every", "2");
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r.describe());
        assertEquals("", r.out());
    }
}
