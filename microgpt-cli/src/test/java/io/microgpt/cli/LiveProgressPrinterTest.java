package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.StepReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveProgressPrinterTest {

    /** Step {@code step} of 1000 at batch 1, each step 400 µs of computation and 500 µs of wall time. */
    private static Progress at(int step, double validation) {
        StepReport r = new StepReport(step, 1000, 2.5, 0.01, 1, 400_000L, step * 400_000L);
        return new Progress(r, 2.4, validation, Double.NaN, step * 500_000L, step, 500_000, 400_000);
    }

    /** The same step before there is a recent rate. */
    private static Progress warmingUp(int step) {
        Progress p = at(step, Double.NaN);
        return new Progress(p.step(), 2.4, Double.NaN, Double.NaN, p.wallNanos(), step, Double.NaN, Double.NaN);
    }

    /** The lines drawn: what follows each carriage return, without the erase-to-end code. */
    private static List<String> drawnLines(String output) {
        List<String> lines = new ArrayList<>();
        for (String part : output.split("\r")) {
            if (!part.isEmpty()) lines.add(part.replace("\u001b[K", "").replace("\n", ""));
        }
        return lines;
    }

    @Test
    void wideLineShowsEveryField() {
        String line = LiveProgressPrinter.line(at(412, Double.NaN), 2.61, Double.NaN, 200);
        assertEquals("step  412/1000 [████████████░░░░░░░░░░░░░░░░░░]  41% | loss 2.5000 | avg 2.4000 | ETA 0.29s"
                + " | val 2.6100 | 400 µs/sample | 0.21s elapsed | 2,000 samples/s", line);
    }

    @Test
    void narrowTerminalsGetAShorterBarThenFewerFieldsButNeverWrap() {
        for (int columns : new int[] {60, 80, 100, 120}) {
            String line = LiveProgressPrinter.line(at(412, Double.NaN), 2.61, Double.NaN, columns);
            assertTrue(line.codePointCount(0, line.length()) <= columns - 1, columns + ": " + line);
            assertTrue(line.startsWith("step  412/1000 ["), line);
            assertTrue(line.contains("loss 2.5000 | avg 2.4000"), "loss and smoothed loss always shown: " + line);
        }
        String eighty = LiveProgressPrinter.line(at(412, Double.NaN), 2.61, Double.NaN, 80);
        assertTrue(eighty.contains("ETA"), eighty);
    }

    @Test
    void redrawsInPlaceAtMostTenTimesASecondAndEndsWithANewline() {
        StringWriter text = new StringWriter();
        LiveProgressPrinter printer = new LiveProgressPrinter(new PrintWriter(text), () -> 120);
        for (int step = 1; step <= 1000; step++) printer.onStep(at(step, Double.NaN));   // 0.5 s of wall time
        printer.finish();
        String s = text.toString();
        long draws = s.chars().filter(c -> c == '\r').count();
        // first step, every 100 ms of the 0.5 s, and the last step
        assertEquals(6, draws, s);
        String last = LiveProgressPrinter.line(at(1000, Double.NaN), Double.NaN, Double.NaN, 120);
        assertTrue(last.startsWith("step 1000/1000 [") && last.contains("100% | loss 2.5000 | avg 2.4000 | ETA done"), last);
        assertTrue(s.endsWith("\r" + last + "\u001b[K\n"), s);
        assertFalse(s.contains("\n\r"), "one line, redrawn");
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("0.00s", LiveProgressPrinter.duration(0));
        assertEquals("4.20s", LiveProgressPrinter.duration(4_200_000_000L));
        assertEquals("42.0s", LiveProgressPrinter.duration(42_000_000_000L));
        assertEquals("1:00", LiveProgressPrinter.duration(59_990_000_000L));
        assertEquals("3:07", LiveProgressPrinter.duration(187_000_000_000L));
        assertEquals("1:02:03", LiveProgressPrinter.duration(3723_000_000_000L));
    }

    @Test
    void barFillsInProportion() {
        assertEquals("[░░░░░░░░░░]", LiveProgressPrinter.bar(0, 1000, 10));
        assertEquals("[████░░░░░░]", LiveProgressPrinter.bar(412, 1000, 10));
        assertEquals("[██████████]", LiveProgressPrinter.bar(1000, 1000, 10));
    }

    @Test
    void followsTheTerminalWidthAsItChanges() {
        StringWriter text = new StringWriter();
        int[] columns = {120};
        LiveProgressPrinter printer = new LiveProgressPrinter(new PrintWriter(text), () -> columns[0]);
        int[] widthAtDraw = new int[1001];
        for (int step = 1; step <= 1000; step++) {
            if (step == 300) columns[0] = 50;    // the window is narrowed mid-run...
            if (step == 600) columns[0] = 14;    // ...to almost nothing...
            if (step == 800) columns[0] = 90;    // ...and widened again
            widthAtDraw[step] = columns[0];
            printer.onStep(at(step, Double.NaN));
        }
        printer.finish();
        List<String> lines = drawnLines(text.toString());
        assertEquals(6, lines.size(), text.toString());
        // Draws happen at steps 1, 200, 400, 600, 800 and 1000 (every 100 ms of wall time at 500 µs a step).
        int[] drawSteps = {1, 200, 400, 600, 800, 1000};
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int width = widthAtDraw[drawSteps[i]];
            assertTrue(line.codePointCount(0, line.length()) <= width - 1, "at " + width + " columns: '" + line + "'");
        }
        assertEquals(13, lines.get(3).codePointCount(0, lines.get(3).length()), "cut to the 14-column terminal: " + lines.get(3));
        assertTrue(lines.get(4).length() > lines.get(2).length(), "uses the room again once widened");
    }

    @Test
    void saysWarmingUpUntilThereIsARecentRate() {
        String line = LiveProgressPrinter.line(warmingUp(3), Double.NaN, Double.NaN, 200);
        assertTrue(line.contains("| warming up |"), line);
        assertFalse(line.contains("ETA"), line);
        assertFalse(line.contains("µs/sample"), line);
        assertFalse(line.contains("samples/s"), line);
    }
}
