package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.microgpt.core.SpeedTrial;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.EngineOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final HostInfo HOST = new HostInfo("Test CPU \"X\"", 2, "17.0.15", "Test VM", null);
    private static final SpeedTrial TRIAL = new SpeedTrial(Dataset.of("test \"docs\"", List.of("ab", "cd")), 16, 4, 1, 16, 1, new EngineOptions(1));

    private static SpeedMeasurement steady(String backend, int nEmbd, int batch, double[] rounds, long workingSet) {
        return new SpeedMeasurement(backend, nEmbd, batch, rounds, workingSet, 1e6, 1.5, true, 10);
    }

    private static BenchReport report() {
        return new BenchReport(HOST, TRIAL, 1, 30, List.of(
                steady("scalar", 16, 1, new double[] {90, 85, 100}, 1_945_092),
                steady("simd", 16, 16, new double[] {4, 4.5, 4.4, 4.6}, -1),
                steady("simd", 64, 16, new double[] {40}, 2_000_000)));
    }

    @Test
    void medianIsTheMiddleRoundOrTheMeanOfTheMiddleTwo() {
        assertEquals(90, steady("scalar", 16, 1, new double[] {90, 80, 100}, -1).median());
        assertEquals(4.5, steady("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).median());
        assertEquals(3, steady("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).min());
        assertEquals(6, steady("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).max());
    }

    @Test
    void gflopsAreFlopsPerSampleOverMicrosPerSample() {
        // 1e6 FLOPs in 4 us: 2.5e11 FLOP/s
        assertEquals(250, steady("simd", 16, 16, new double[] {4}, -1).gflops(), 1e-9);
    }

    @Test
    void speedupIsScalarsMedianOverTheRowsAtTheSameWidth() {
        BenchReport report = report();
        assertEquals(20.0, report.speedupOverScalar(steady("simd", 16, 16, new double[] {4.5}, -1)), 1e-12, "90 us over 4.5 us");
        assertTrue(Double.isNaN(report.speedupOverScalar(steady("simd", 64, 16, new double[] {40}, -1))), "no scalar row at n_embd 64");
    }

    @Test
    void tableHasAHeaderAndOneAlignedRowPerMeasurement() {
        String[] lines = report().table().split("\n");
        assertEquals(7, lines.length, "host, model, method, header, 3 rows, no warnings:\n" + String.join("\n", lines));
        assertTrue(lines[0].startsWith("cpu: Test CPU \"X\", 2 cores; jdk: 17.0.15 (Test VM); vector species: none"), lines[0]);
        assertEquals("model: n_head 4, n_layer 1, block 16; data: test \"docs\" (2 documents); threads: 1", lines[1]);
        assertTrue(lines[2].contains("median and range of 3 rounds of 1 s each, after a warm-up until the rate is steady (at least 1 s, at most 30 s)"), lines[2]);
        assertTrue(lines[3].matches("backend +n_embd +batch +us/sample +min-max +samples/s +GFLOP/s +vs scalar +warm-up +working set"), lines[3]);
        assertTrue(lines[4].matches("scalar +16 +1 +90\\.0 +85\\.0-100 +11,111 +11\\.1 +1\\.00x +1\\.5 s +1\\.9 MB"), lines[4]);
        assertTrue(lines[5].matches("simd +16 +16 +4\\.45 +4\\.00-4\\.60 +224,719 +224\\.7 +20\\.22x +1\\.5 s +-"), lines[5]);
        assertTrue(lines[6].matches("simd +64 +16 +40\\.0 +40\\.0-40\\.0 +25,000 +25\\.0 +- +1\\.5 s +2\\.0 MB"), lines[6]);
        int samplesColumnEnd = lines[3].indexOf("samples/s") + "samples/s".length();
        for (int i = 4; i < 7; i++) {
            assertEquals(' ', lines[i].charAt(samplesColumnEnd), "numbers are right-aligned under their header: " + lines[i]);
            assertTrue(Character.isDigit(lines[i].charAt(samplesColumnEnd - 1)), lines[i]);
        }
    }

    @Test
    void anUnsteadyWarmUpMarksTheRowAndEveryRatioAgainstItAndSaysWhy() {
        SpeedMeasurement coldScalar = new SpeedMeasurement("scalar", 16, 1, new double[] {90, 91, 89}, -1, 1e6, 0.2, false, 10);
        SpeedMeasurement simd = steady("simd", 16, 16, new double[] {4, 4, 4}, -1);
        SpeedMeasurement scattered = new SpeedMeasurement("simd", 64, 16, new double[] {10, 20, 30}, -1, 1e6, 1, true, 2);
        BenchReport report = new BenchReport(HOST, TRIAL, 0.2, 0.2, List.of(coldScalar, simd, scattered));
        assertTrue(report.ratioDoubtful(simd), "its ratio rests on the unsteady scalar row");
        String table = report.table();
        String[] lines = table.split("\n");
        assertTrue(lines[4].matches("scalar .* 1\\.00x\\* .*"), table);
        assertTrue(lines[5].matches("simd .* 22\\.50x\\* .*"), table);
        assertTrue(lines[6].matches("simd +64 .* -\\* .*"), table);
        assertEquals("* scalar at n_embd 16: the rate was still changing after 0.2 s of warm-up (the JIT may not have compiled it yet)", lines[7]);
        assertEquals("* simd at n_embd 64: its rounds differ by 100% (other work on the machine?); a round timed only 2 steps", lines[8]);
        assertEquals("* figures and ratios so marked may mislead: measure again with a longer --seconds or --max-warmup, on a quieter machine", lines[9]);
        assertEquals(10, lines.length, table);
        assertTrue(simd.warnings().isEmpty());
    }

    @Test
    void jsonHoldsTheHostTheShapeAndEveryRoundWithNullsForTheUnknown() {
        JsonObject root = JsonParser.parseString(report().json()).getAsJsonObject();
        assertEquals("Test CPU \"X\"", root.get("cpu").getAsString());
        assertEquals(2, root.get("cores").getAsInt());
        assertEquals("17.0.15", root.get("javaVersion").getAsString());
        assertEquals("Test VM", root.get("vmName").getAsString());
        assertTrue(root.get("vectorSpecies").isJsonNull());
        assertEquals(1, root.get("threads").getAsInt());
        assertEquals("test \"docs\"", root.get("data").getAsString());
        assertEquals(List.of(4, 1, 16), List.of(root.get("nHead").getAsInt(), root.get("nLayer").getAsInt(), root.get("blockSize").getAsInt()));
        JsonArray results = root.getAsJsonArray("results");
        assertEquals(3, results.size());
        JsonObject scalar = results.get(0).getAsJsonObject();
        assertEquals("scalar", scalar.get("backend").getAsString());
        assertEquals(16, scalar.get("nEmbd").getAsInt());
        assertEquals(1, scalar.get("batch").getAsInt());
        JsonObject micros = scalar.getAsJsonObject("microsPerSample");
        assertEquals(List.of(90.0, 85.0, 100.0), List.of(micros.get("median").getAsDouble(), micros.get("min").getAsDouble(), micros.get("max").getAsDouble()));
        assertEquals("[90.0,85.0,100.0]", micros.getAsJsonArray("rounds").toString());
        assertEquals(1e6 / 90, scalar.get("samplesPerSecond").getAsDouble());
        assertEquals(1e6, scalar.get("flopsPerSample").getAsDouble());
        assertEquals(1.0, scalar.get("speedupOverScalar").getAsDouble());
        assertEquals(1_945_092, scalar.get("workingSetBytes").getAsLong());
        assertEquals(1.5, scalar.get("warmupSeconds").getAsDouble());
        assertTrue(scalar.get("warmupStable").getAsBoolean());
        assertEquals(0, scalar.getAsJsonArray("warnings").size());
        assertTrue(results.get(1).getAsJsonObject().get("workingSetBytes").isJsonNull());
        assertTrue(results.get(2).getAsJsonObject().get("speedupOverScalar").isJsonNull());
    }

    @Test
    void jsonListsTheWarnings() {
        SpeedMeasurement cold = new SpeedMeasurement("simd", 16, 16, new double[] {4}, -1, 1e6, 0.1, false, 1);
        JsonObject root = JsonParser.parseString(new BenchReport(HOST, TRIAL, 0.1, 0.1, List.of(cold)).json()).getAsJsonObject();
        JsonObject row = root.getAsJsonArray("results").get(0).getAsJsonObject();
        assertFalse(row.get("warmupStable").getAsBoolean());
        assertEquals(2, row.getAsJsonArray("warnings").size(), row.toString());
        assertTrue(row.getAsJsonArray("warnings").get(1).getAsString().equals("a round timed only 1 step"), row.toString());
    }

    @Test
    void microsKeepAtLeastThreeSignificantFigures() {
        assertEquals("3.12", BenchReport.micros(3.1234));
        assertEquals("84.3", BenchReport.micros(84.34));
        assertEquals("953", BenchReport.micros(953.4));
        assertEquals("5,073", BenchReport.micros(5072.7));
    }
}
