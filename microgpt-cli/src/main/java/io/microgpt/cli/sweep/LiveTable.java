package io.microgpt.cli.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The sweep's progress on a terminal: a table of the running runs (run, flags, step, loss, validation loss,
 * ETA) under the lines that stay, redrawn in place at most {@value #REDRAW_MILLIS} ms apart (and at once after
 * a line that stays), with a last line for the sweep as a whole. Lines are cut to the terminal's width, read
 * again for every redraw. When the sweep ends the table is gone: the lines that stay tell the story.
 */
final class LiveTable implements SweepDisplay {
    static final long REDRAW_MILLIS = 250;
    /** Cursor up {@code n} lines is {@code ESC [ n A}; erase from the cursor to the end of the screen is {@code ESC [ J}. */
    private static final String ESC = "\u001b[";

    private final PrintWriter out;
    private final IntSupplier columns;
    private int drawnLines;
    private long lastDraw = Long.MIN_VALUE;
    private List<RunStatus> lastRunning = List.of();
    private Totals lastTotals;

    LiveTable(PrintWriter out, IntSupplier columns) {
        this.out = out;
        this.columns = columns;
    }

    /** Prints the line where the table was; the next {@link #progress} draws the table again, as it then is. */
    @Override
    public void event(String line) {
        erase();
        out.println(line);
        out.flush();
        lastDraw = Long.MIN_VALUE;
    }

    @Override
    public void progress(List<RunStatus> running, Totals totals) {
        lastRunning = List.copyOf(running);
        lastTotals = totals;
        long now = System.nanoTime();
        if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_MILLIS * 1_000_000) return;
        lastDraw = now;
        erase();
        draw();
    }

    @Override
    public void close() {
        erase();
        out.flush();
    }

    private void erase() {
        if (drawnLines > 0) out.print(ESC + drawnLines + "A\r" + ESC + "J");
        drawnLines = 0;
    }

    private void draw() {
        if (lastTotals == null) {
            out.flush();
            return;
        }
        List<String> lines = lines(lastRunning, lastTotals, columns.getAsInt());
        for (String line : lines) out.print(line + "\n");
        drawnLines = lines.size();
        out.flush();
    }

    /** The table for a terminal {@code width} columns wide (each line at most {@code width - 1} characters). */
    static List<String> lines(List<RunStatus> running, Totals totals, int width) {
        List<String> lines = new ArrayList<>();
        if (!running.isEmpty()) {
            int flagsWidth = 5;
            for (RunStatus s : running) flagsWidth = Math.max(flagsWidth, s.run().label().length());
            flagsWidth = Math.min(flagsWidth, 48);
            String format = "%-5s %-" + flagsWidth + "s %13s %8s %8s %8s";
            lines.add(String.format(Locale.ROOT, format, "run", "flags", "step", "loss", "val", "ETA"));
            for (RunStatus s : running) {
                String label = s.run().label();
                if (label.length() > flagsWidth) label = label.substring(0, flagsWidth - 3) + "...";
                String step = s.total() > 0 ? s.step() + "/" + s.total() : "starting";
                lines.add(String.format(Locale.ROOT, format, s.run().name(), label, step, SweepFormat.loss(s.loss()),
                        SweepFormat.loss(s.validation()), SweepFormat.eta(s)));
            }
        }
        lines.add(summary(totals));
        int limit = Math.max(1, width - 1);
        lines.replaceAll(l -> l.length() > limit ? l.substring(0, limit) : l);
        return lines;
    }

    /** {@code sweep: 3 of 8 finished, 2 running, 1 failed | 1:23 elapsed | ETA 4:10}. */
    static String summary(Totals t) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "sweep: %d of %d finished, %d running", t.finished(),
                t.planned(), t.running()));
        if (t.failed() > 0) sb.append(", ").append(t.failed()).append(" failed");
        sb.append(" | ").append(SweepFormat.duration(t.elapsedNanos())).append(" elapsed");
        if (t.etaNanos() >= 0) sb.append(" | ETA ").append(SweepFormat.duration(t.etaNanos()));
        return sb.toString();
    }
}
