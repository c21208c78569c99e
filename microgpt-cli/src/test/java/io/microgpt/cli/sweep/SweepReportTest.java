package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The report's pieces: the Pareto front, the table's order and columns, the chart, metrics read by column name. */
class SweepReportTest {
    @TempDir
    Path tmp;

    static RunResult result(int index, double wall, double valLoss, Double bpc) {
        Map<String, Double> validation = new java.util.LinkedHashMap<>();
        validation.put("final_val_loss", valLoss);
        validation.put("best_val_loss", valLoss - 0.01);
        if (bpc != null) {
            validation.put("final_val_bpc", bpc);
            validation.put("best_val_bpc", bpc);
        }
        return new RunResult("p", index, String.format("%03d", index), Map.of("--lr", "0." + index), List.of(), 100, 16, 4192, 2.0, validation,
                90, wall, 1, 300, "h", "t");
    }

    @Test
    void theFrontKeepsTheRunsNoOtherBeatsOnTimeAndLoss() {
        List<RunResult> runs = List.of(result(0, 10, 2.5, null), result(1, 20, 2.4, null), result(2, 15, 2.6, null),
                result(3, 30, 2.4, null), result(4, 40, 2.2, null), result(5, 5, Double.NaN, null));
        assertEquals(List.of(0, 1, 4), ParetoFront.of(runs).stream().map(RunResult::index).toList(),
                "2 is slower and worse than 0; 3 ties 1's loss but is slower; 5 has no loss");
    }

    @Test
    void theTableIsSortedByValidationLossWithTheFrontMarked() {
        String table = SweepReport.render(List.of(result(0, 10, 2.5, 3.6), result(1, 20, 2.4, 3.5), result(2, 15, 2.6, 3.7)), 4, List.of("--lr"));
        List<String> lines = table.lines().toList();
        assertEquals("3 of 4 runs finished; sorted by the last validation loss; * = on the Pareto front of loss against wall time", lines.get(0));
        assertTrue(lines.get(1).matches("rank\\s+run\\s+lr\\s+val loss\\s+best\\s+val bpc\\s+wall\\s+µs/sample\\s+params\\s+front"), lines.get(1));
        assertTrue(lines.get(2).matches("\\s*1\\s+001\\s+0\\.1\\s+2\\.4000\\s+2\\.3900\\s+3\\.5000\\s+20\\.0s\\s+300\\s+4,192\\s+\\*"), lines.get(2));
        assertTrue(lines.get(3).matches("\\s*2\\s+000\\s.*\\*"), lines.get(3));
        assertTrue(lines.get(4).matches("\\s*3\\s+002\\s.*4,192"), "not on the front: " + lines.get(4));
    }

    @Test
    void theChartIsValidSvgWithAPointPerRunAndTheFrontJoined() throws Exception {
        String svg = ParetoChart.render(List.of(result(0, 10, 2.5, null), result(1, 20, 2.4, null), result(2, 15, 2.6, null)), "t < & >", "s");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3 + 2, doc.getElementsByTagName("circle").getLength());
        assertEquals(1, doc.getElementsByTagName("polyline").getLength(), "the front's staircase");
        assertTrue(svg.contains(">001</text>") && svg.contains("(2 of 3)"), svg);
        ParetoChart.render(List.of(), "empty", "");   // no results yet: still a chart
    }

    @Test
    void metricsAreReadByColumnNameWithEveryValidationColumn() throws Exception {
        Path csv = tmp.resolve("metrics.csv");
        Files.writeString(csv, "step,loss,learning_rate,step_us,val_loss,val_bpc\n1,3.0,,,,\n2,2.9,0.01,400.0,2.8,4.0\n3,2.7,0.01,600.0,,\n"
                + "4,2.6,0.01,500.0,2.85,4.1\n");
        MetricsSummary m = MetricsSummary.read(csv);
        assertEquals(4, m.lastStep());
        assertEquals(2.6, m.lastLoss());
        assertEquals(Map.of("val_loss", 2.85, "val_bpc", 4.1), m.finalValues());
        assertEquals(Map.of("val_loss", 2.8, "val_bpc", 4.0), m.bestValues());
        assertEquals(2, m.bestStep());
        assertEquals(500.0, m.meanStepMicros(), 1e-12, "the replayed row without a time is left out");
    }

    @Test
    void theLiveTableFitsTheTerminal() {
        PlannedRun run = Plan.of(List.of(new Setting("--lr", List.of("0.01", "0.02")))).run(1);
        RunStatus s = new RunStatus(run, 40, 200, 2.5, 2.6, -1, 5_000_000_000L, 12_000_000_000L);
        List<String> lines = LiveTable.lines(List.of(s), new SweepDisplay.Totals(1, 2, 1, 0, 10_000_000_000L, 12_000_000_000L), 200);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).matches("001\\s+--lr 0.02\\s+40/200\\s+2\\.5000\\s+2\\.6000\\s+12\\.0s"), lines.get(1));
        assertEquals("sweep: 1 of 2 finished, 1 running | 10.0s elapsed | ETA 12.0s", lines.get(2));
        for (String l : LiveTable.lines(List.of(s), new SweepDisplay.Totals(1, 2, 1, 0, 0, -1), 20)) assertTrue(l.length() <= 19, l);
    }

    @Test
    void memoryThatDoesNotFitSaysWhatToChange() {
        PlannedRun run = Plan.of(List.of(new Setting("--seed", List.of("1", "2", "3", "4")))).run(0);
        List<RunEstimate> four = List.of(new RunEstimate(run, 1, 3_000_000_000L, 1, RunEstimate.Pace.MEASURED), new RunEstimate(run, 1, 3_000_000_000L, 1, RunEstimate.Pace.MEASURED),
                new RunEstimate(run, 1, 3_000_000_000L, 1, RunEstimate.Pace.MEASURED), new RunEstimate(run, 1, 3_000_000_000L, 1, RunEstimate.Pace.MEASURED));
        io.microgpt.core.MicrogptException e = org.junit.jupiter.api.Assertions.assertThrows(io.microgpt.core.MicrogptException.class,
                () -> MemoryFit.check(four, 4, 4_000_000_000L, 8_000_000_000L));
        assertTrue(e.getMessage().startsWith("with 4 runs at once the plan needs about 12.4 GB") && e.getMessage().endsWith("use --parallel 2"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(io.microgpt.core.MicrogptException.class,
                () -> MemoryFit.check(four, 1, 2_000_000_000L, 8_000_000_000L));
        assertTrue(e.getMessage().contains("needs about 3.0 GB, more than the 2.0 GB heap each run's JVM gets"), e.getMessage());
        MemoryFit.check(four, 2, 4_000_000_000L, 8_000_000_000L);   // fits
    }
}
