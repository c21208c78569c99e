package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static final HostInfo HOST = new HostInfo("Test CPU \"X\"", 2, "17.0.15", "Test VM", null);

    private static BenchReport report() {
        return new BenchReport(HOST, 1, 1, 2, List.of(
                new SpeedMeasurement("scalar", 16, 1, new double[] {90, 80, 100}, 1_945_092),
                new SpeedMeasurement("simd", 16, 16, new double[] {4, 5, 3, 6}, -1),
                new SpeedMeasurement("simd", 64, 16, new double[] {40}, 2_000_000)));
    }

    @Test
    void medianIsTheMiddleRoundOrTheMeanOfTheMiddleTwo() {
        assertEquals(90, new SpeedMeasurement("scalar", 16, 1, new double[] {90, 80, 100}, -1).median());
        assertEquals(4.5, new SpeedMeasurement("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).median());
        assertEquals(3, new SpeedMeasurement("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).min());
        assertEquals(6, new SpeedMeasurement("simd", 16, 16, new double[] {4, 5, 3, 6}, -1).max());
    }

    @Test
    void speedupIsScalarsMedianOverTheRowsAtTheSameWidth() {
        BenchReport report = report();
        List<SpeedMeasurement> rows = List.of(
                new SpeedMeasurement("simd", 16, 16, new double[] {4.5}, -1),
                new SpeedMeasurement("simd", 64, 16, new double[] {40}, -1));
        assertEquals(20.0, report.speedupOverScalar(rows.get(0)), 1e-12, "90 us over 4.5 us");
        assertTrue(Double.isNaN(report.speedupOverScalar(rows.get(1))), "no scalar row at n_embd 64");
    }

    @Test
    void tableHasAHeaderAndOneAlignedRowPerMeasurement() {
        String[] lines = report().table().split("\n");
        assertEquals(6, lines.length, "host line, method line, header, 3 rows:\n" + String.join("\n", lines));
        assertTrue(lines[0].startsWith("cpu: Test CPU \"X\", 2 cores; jdk: 17.0.15 (Test VM); vector species: none"), lines[0]);
        assertTrue(lines[1].contains("median and range of 3 rounds of 1 s each, after 2 s of warm-up; threads: 1"), lines[1]);
        assertTrue(lines[2].matches("backend +n_embd +batch +us/sample +min-max +samples/s +vs scalar +working set"), lines[2]);
        assertTrue(lines[3].matches("scalar +16 +1 +90\\.0 +80\\.0-100 +11,111 +1\\.00x +1\\.9 MB"), lines[3]);
        assertTrue(lines[4].matches("simd +16 +16 +4\\.50 +3\\.00-6\\.00 +222,222 +20\\.00x +-"), lines[4]);
        assertTrue(lines[5].matches("simd +64 +16 +40\\.0 +40\\.0-40\\.0 +25,000 +- +2\\.0 MB"), lines[5]);
        int samplesColumnEnd = lines[2].indexOf("samples/s") + "samples/s".length();
        for (int i = 3; i < 6; i++) {
            assertEquals(' ', lines[i].charAt(samplesColumnEnd), "numbers are right-aligned under their header: " + lines[i]);
            assertTrue(Character.isDigit(lines[i].charAt(samplesColumnEnd - 1)), lines[i]);
        }
    }

    @Test
    void jsonHoldsTheHostAndEveryRoundWithNullsForTheUnknown() {
        String json = report().json();
        assertTrue(json.contains("\"cpu\": \"Test CPU \\\"X\\\"\""), json);
        assertTrue(json.contains("\"cores\": 2,"), json);
        assertTrue(json.contains("\"javaVersion\": \"17.0.15\""), json);
        assertTrue(json.contains("\"vmName\": \"Test VM\""), json);
        assertTrue(json.contains("\"vectorSpecies\": null"), json);
        assertTrue(json.contains("\"threads\": 1,"), json);
        assertTrue(json.contains("{\"backend\": \"scalar\", \"nEmbd\": 16, \"batch\": 1, \"microsPerSample\": {\"median\": 90.0, "
                + "\"min\": 80.0, \"max\": 100.0, \"rounds\": [90.0, 80.0, 100.0]}, \"samplesPerSecond\": " + 1e6 / 90 + ", "
                + "\"speedupOverScalar\": 1.0, \"workingSetBytes\": 1945092}"), json);
        assertTrue(json.contains("\"speedupOverScalar\": 20.0, \"workingSetBytes\": null}"), json);
        assertTrue(json.contains("\"nEmbd\": 64, \"batch\": 16, \"microsPerSample\": {\"median\": 40.0, \"min\": 40.0, \"max\": 40.0, "
                + "\"rounds\": [40.0]}, \"samplesPerSecond\": 25000.0, \"speedupOverScalar\": null"), json);
        assertEquals(count(json, '{'), count(json, '}'), "balanced braces");
        assertEquals(count(json, '['), count(json, ']'), "balanced brackets");
    }

    @Test
    void quoteEscapesWhatJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", BenchReport.quote("a\"b\\c\nd\u0001"));
    }

    @Test
    void microsKeepAtLeastThreeSignificantFigures() {
        assertEquals("3.12", BenchReport.micros(3.1234));
        assertEquals("84.3", BenchReport.micros(84.34));
        assertEquals("953", BenchReport.micros(953.4));
        assertEquals("5,073", BenchReport.micros(5072.7));
    }

    private static long count(String s, char c) {
        return s.chars().filter(x -> x == c).count();
    }
}
