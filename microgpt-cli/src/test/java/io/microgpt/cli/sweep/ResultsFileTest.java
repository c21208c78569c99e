package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.jsonl: lines from processes appending at once never interleave. */
class ResultsFileTest {
    static final int PROCESSES = 3;
    static final int LINES_EACH = 200;

    @TempDir
    Path tmp;

    /** A result line about 2 kB long (longer than a pipe's atomic write, so that interleaving would show). */
    static RunResult result(int writer, int i) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--writer", String.valueOf(writer));
        flags.put("--padding", "x".repeat(2000));
        return new RunResult("plan", writer * 100_000 + i, "run", flags, List.of("--lr", "0.1"), 10, 1, 4192, 2.5,
                Map.of("final_val_loss", 2.4, "best_val_loss", 2.3), 10, 1.5, 1, 400.0, "host", "2026-01-01T00:00:00Z");
    }

    /** Appends {@code LINES_EACH} lines as writer {@code args[1]} to the folder {@code args[0]}. */
    public static void main(String[] args) {
        for (int i = 0; i < LINES_EACH; i++) ResultsFile.append(Path.of(args[0]), result(Integer.parseInt(args[1]), i));
    }

    @Test
    void linesAppendedByProcessesAtOnceStayWhole() throws Exception {
        List<Process> writers = new ArrayList<>();
        for (int w = 0; w < PROCESSES; w++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ResultsFileTest.class.getName(), tmp.toString(), String.valueOf(w)));
            writers.add(new ProcessBuilder(command).redirectErrorStream(true).start());
        }
        for (Process p : writers) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(tmp.resolve(ResultsFile.NAME));
        assertEquals(PROCESSES * LINES_EACH, lines.size());
        Set<Integer> seen = new HashSet<>();
        for (String line : lines) {
            RunResult r = RunResult.parse(line);   // throws on a line that two writes mixed
            assertEquals(result(r.index() / 100_000, r.index() % 100_000), r);
            assertTrue(seen.add(r.index()));
        }
        ResultsFile.Contents read = ResultsFile.read(tmp);
        assertEquals(PROCESSES * LINES_EACH, read.results().size());
        assertEquals(0, read.skipped());
    }

    @Test
    void aLineCutShortIsSkippedAndCounted() throws Exception {
        ResultsFile.append(tmp, result(0, 1));
        Files.writeString(tmp.resolve(ResultsFile.NAME), result(0, 2).jsonLine().substring(0, 100) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        ResultsFile.append(tmp, result(0, 3));
        ResultsFile.Contents read = ResultsFile.read(tmp);
        assertEquals(List.of(1, 3), read.results().stream().map(RunResult::index).toList());
        assertEquals(1, read.skipped());
    }

    @Test
    void nonFiniteFiguresAreWrittenAsNullAndReadAsNaN() {
        RunResult r = new RunResult("p", 0, "000", Map.of(), List.of(), 0, 1, -1, Double.NaN, Map.of("final_val_loss", Double.NaN), -1,
                Double.POSITIVE_INFINITY, 1, Double.NaN, "h", "t");
        assertTrue(r.jsonLine().contains("\"final_val_loss\":null"), r.jsonLine());
        RunResult back = RunResult.parse(r.jsonLine());
        assertTrue(Double.isNaN(back.finalValidationLoss()) && Double.isNaN(back.wallSeconds()) && Double.isNaN(back.finalLoss()));
    }
}
