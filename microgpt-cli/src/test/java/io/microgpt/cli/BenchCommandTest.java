package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingFlops;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                "--max-warmup", "0.3", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("cpu: "), r.out());
        assertEquals("model: n_head 4, n_layer 1, block 16; data: bundled names (32,033 documents); threads: 1", lines[1]);
        assertTrue(lines[2].endsWith("3 rounds of 0.02 s each, after a warm-up of 0.3 s (--max-warmup: less than the 1 s a steady rate needs)"), r.out());
        assertTrue(lines[3].startsWith("backend  n_embd  batch"), r.out());
        Pattern row = Pattern.compile("scalar +(\\d+) +1 +([\\d.,]+) +([\\d.,]+)-([\\d.,]+) +[\\d,]+ +[\\d.]+ +1\\.00x(\\*?) +[\\d.]+ s +[\\d.]+ MB");
        Matcher m16 = row.matcher(lines[4]);
        Matcher m8 = row.matcher(lines[5]);
        assertTrue(m16.matches(), lines[4]);
        assertTrue(m8.matches(), lines[5]);
        assertEquals("16", m16.group(1), "widths in the order given");
        assertEquals("8", m8.group(1));
        double median = number(m16.group(2));
        assertTrue(number(m16.group(3)) <= median && median <= number(m16.group(4)), "min <= median <= max: " + lines[4]);
        // a warm-up limit below the 1 s minimum can never give a steady rate: every row is marked and says why
        assertEquals("*", m16.group(5), r.out());
        // (the warm-up ends after the first chunk of whole steps that reaches the limit: 0.3 s or a little more)
        assertTrue(Pattern.compile("\n\\* scalar at n_embd 16: the rate was still changing after \\d+\\.\\d s of warm-up").matcher(r.out()).find(), r.out());
        assertTrue(r.err().contains("measuring scalar at n_embd 16, batch 1..."), r.err());
        assertTrue(Pattern.compile("  warmed up \\d+\\.\\d s \\(rate still changing at --max-warmup 0\\.3\\)").matcher(r.err()).find(), r.err());

        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(Runtime.getRuntime().availableProcessors(), root.get("cores").getAsInt());
        assertEquals(System.getProperty("java.version"), root.get("javaVersion").getAsString());
        assertTrue(root.has("vectorSpecies"));
        assertEquals(0.02, root.get("roundSeconds").getAsDouble());
        JsonArray results = root.getAsJsonArray("results");
        assertEquals(2, results.size());
        for (int i = 0; i < 2; i++) {
            JsonObject result = results.get(i).getAsJsonObject();
            assertEquals("scalar", result.get("backend").getAsString());
            assertEquals(i == 0 ? 16 : 8, result.get("nEmbd").getAsInt());
            assertEquals(1, result.get("batch").getAsInt());
            assertEquals(1.0, result.get("speedupOverScalar").getAsDouble());
            assertEquals(3, result.getAsJsonObject("microsPerSample").getAsJsonArray("rounds").size(), "three timed rounds");
            assertFalse(result.get("warmupStable").getAsBoolean());
            assertTrue(result.get("flopsPerSample").getAsDouble() > 0);
        }
    }

    @Test
    void theShapeFlagsAndDataReachTheModel() throws IOException {
        Path data = dir.resolve("lines.txt");
        Files.writeString(data, "the first line of text\nand a second one\n");
        Path json = dir.resolve("bench.json");
        Result r = run("bench", "--backend", "scalar", "--n-embd", "8", "--n-head", "2", "--n-layer", "2", "--block-size", "24",
                "--data", data.toString(), "--seconds", "0.01", "--rounds", "1", "--max-warmup", "0.1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("model: n_head 2, n_layer 2, block 24; data: " + data + " (2 documents); threads: 1", r.out().split("\n")[1]);
        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(List.of(2, 2, 24), List.of(root.get("nHead").getAsInt(), root.get("nLayer").getAsInt(), root.get("blockSize").getAsInt()));
        // 22 and 16 characters train on 23 and 17 positions of a model over 16 symbols (15 characters and BOS)
        ModelConfig shape = new ModelConfig(16, 8, 2, 2, 24, ModelConfig.DEFAULT_INIT_STD);
        double flops = (TrainingFlops.perDocument(shape, 23) + TrainingFlops.perDocument(shape, 17)) / 2;
        assertEquals(flops, root.getAsJsonArray("results").get(0).getAsJsonObject().get("flopsPerSample").getAsDouble(), 1e-6 * flops);
    }

    @Test
    void anUnwritableJsonPathIsRejectedBeforeMeasuring() {
        Result r = run("bench", "--backend", "scalar", "--json", dir.resolve("no/such/dir/bench.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: --json " + dir.resolve("no/such/dir/bench.json") + ": folder "), r.err());
        assertFalse(r.err().contains("measuring"), "nothing measured: " + r.err());
        Result isDir = run("bench", "--backend", "scalar", "--json", dir.toString());
        assertEquals(2, isDir.code());
        assertEquals("error: --json " + dir + " is a folder; give a file name", isDir.err().trim());
    }

    @Test
    void batchFlagAppliesToEveryBackend() {
        Result r = run("bench", "--backend", "scalar", "--n-embd", "8", "--batch", "2", "--seconds", "0.01", "--rounds", "1", "--max-warmup", "0.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().split("\n")[4].matches("scalar +8 +2 .*"), r.out());
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
        Result warmup = run("bench", "--max-warmup", "-1");
        assertEquals(2, warmup.code());
        assertEquals("error: --max-warmup must be a positive number, got -1.0", warmup.err().trim());
        Result block = run("bench", "--n-embd", "16", "--block-size", "0");
        assertEquals(2, block.code());
        assertEquals("error: --n-embd 16: block_size must be positive, got 0", block.err().trim());
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
}
