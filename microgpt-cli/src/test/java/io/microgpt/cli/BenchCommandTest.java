package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code microgpt bench} end to end, with rounds of a few milliseconds (the figures are not the point here). */
class BenchCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void printsOneRowPerBackendAndWidthAndWritesTheSameAsJson() throws IOException {
        Path json = dir.resolve("bench.json");
        Result r = run("bench", "--backend", "scalar", "--n-embd", "16,8", "--seconds", "0.02", "--rounds", "3",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(5, lines.length, r.out());
        assertTrue(lines[0].startsWith("cpu: "), r.out());
        assertTrue(lines[1].contains("3 rounds of 0.02 s each, after 0.04 s of warm-up"), r.out());
        assertTrue(lines[2].startsWith("backend  n_embd  batch"), r.out());
        Pattern row = Pattern.compile("scalar +(\\d+) +1 +([\\d.,]+) +([\\d.,]+)-([\\d.,]+) +[\\d,]+ +1\\.00x +[\\d.]+ MB");
        Matcher m16 = row.matcher(lines[3]);
        Matcher m8 = row.matcher(lines[4]);
        assertTrue(m16.matches(), lines[3]);
        assertTrue(m8.matches(), lines[4]);
        assertEquals("16", m16.group(1), "widths in the order given");
        assertEquals("8", m8.group(1));
        double median = number(m16.group(2));
        assertTrue(number(m16.group(3)) <= median && median <= number(m16.group(4)), "min <= median <= max: " + lines[3]);
        assertTrue(r.err().contains("measuring scalar at n_embd 16, batch 1..."), r.err());

        String text = Files.readString(json);
        assertTrue(text.contains("\"cores\": " + Runtime.getRuntime().availableProcessors() + ","), text);
        assertTrue(text.contains("\"javaVersion\": \"" + System.getProperty("java.version") + "\""), text);
        assertTrue(text.contains("\"vectorSpecies\": "), text);
        assertTrue(text.contains("\"roundSeconds\": 0.02,"), text);
        assertEquals(2, count(text, "\"backend\": \"scalar\""), text);
        assertTrue(text.contains("\"nEmbd\": 16, \"batch\": 1,"), text);
        assertTrue(text.contains("\"nEmbd\": 8, \"batch\": 1,"), text);
        assertEquals(2, count(text, "\"speedupOverScalar\": 1.0,"), text);
        Matcher rounds = Pattern.compile("\"rounds\": \\[([^]]*)]").matcher(text);
        assertTrue(rounds.find(), text);
        assertEquals(3, rounds.group(1).split(", ").length, "three timed rounds: " + rounds.group(1));
    }

    @Test
    void batchFlagAppliesToEveryBackend() {
        Result r = run("bench", "--backend", "scalar", "--n-embd", "8", "--batch", "2", "--seconds", "0.01", "--rounds", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().split("\n")[3].matches("scalar +8 +2 .*"), r.out());
    }

    @Test
    void aWidthThatCannotMakeAModelIsRejectedBeforeMeasuring() {
        Result r = run("bench", "--n-embd", "16,30", "--seconds", "0.01");
        assertEquals(2, r.code());
        assertEquals("error: --n-embd 30: n_embd 30 is not divisible by n_head 4 (head size must be whole)", r.err().trim());
        assertFalse(r.err().contains("measuring"), "nothing measured: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownBackendAndBadSettingsAreOneLineErrors() {
        Result unknown = run("bench", "--backend", "nosuch", "--seconds", "0.01");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("error: unknown backend 'nosuch'; available: scalar"), unknown.err());
        Result seconds = run("bench", "--seconds", "0");
        assertEquals(2, seconds.code());
        assertEquals("error: --seconds must be a positive number, got 0.0", seconds.err().trim());
        Result rounds = run("bench", "--rounds", "0");
        assertEquals(2, rounds.code());
        assertEquals("error: --rounds must be 1 or more, got 0", rounds.err().trim());
        Result batch = run("bench", "--batch", "0");
        assertEquals(2, batch.code());
        assertEquals("error: --batch must be positive, got 0", batch.err().trim());
        Result threads = run("bench", "--threads", "-1");
        assertEquals(2, threads.code());
        assertEquals("error: --threads must be 0 (automatic) or positive, got -1", threads.err().trim());
    }

    private static double number(String s) {
        return Double.parseDouble(s.replace(",", ""));
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) n++;
        return n;
    }
}
