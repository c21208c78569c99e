package io.microgpt.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Progress on a terminal: one line, redrawn in place about ten times a second, e.g.
 * <pre>step  412/1000 [████████████░░░░░░░░░░░░░░░░░░]  41% | loss 2.6120 | avg 2.5873 | ETA 0.29s | 398 µs/sample | 0.21s elapsed | 2,427 samples/s</pre>
 * It fits the terminal's width, read again for every redraw (it follows a resized window): the bar shrinks
 * first, then the least useful fields go, and on a very narrow terminal the line is cut; it is never wider
 * than the terminal. ETA, µs/sample and samples/s are the recent pace ({@link RecentRate}); until there is
 * one, the line says {@code warming up} instead. Used by the training thread only; {@link #duration} is a pure function.
 */
public final class LiveProgressPrinter implements ProgressPrinter {
    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 30;
    /** Carriage return, then the line, then "erase to the end of the line" for a line shorter than the last. */
    private static final String CLEAR_TO_END = "\u001b[K";

    private final PrintWriter out;
    private final IntSupplier columns;
    private long lastDraw = Long.MIN_VALUE;
    private double lastValidation = Double.NaN;
    private double lastBits = Double.NaN;
    private boolean drawn;
    private boolean everDrawn;

    /** Draws on {@code out}, asking {@code columns} for the terminal's width before every redraw. */
    LiveProgressPrinter(PrintWriter out, IntSupplier columns) {
        this.out = out;
        this.columns = columns;
    }

    @Override
    public void onStep(Progress p) {
        if (p.hasValidation()) {
            lastValidation = p.validationLoss();
            lastBits = p.validationBits();
        }
        if (!p.isLast() && !p.hasValidation() && lastDraw != Long.MIN_VALUE
                && p.wallNanos() - lastDraw < REDRAW_INTERVAL_NANOS) return;
        lastDraw = p.wallNanos();
        out.print("\r" + line(p, lastValidation, lastBits, columns.getAsInt()) + CLEAR_TO_END);
        out.flush();
        drawn = true;
        everDrawn = true;
    }

    @Override
    public void finish() {
        if (drawn) out.println();
        drawn = false;
        out.flush();
    }

    /**
     * Nothing after a progress line ({@link #finish()} ended it, as the reference's newline ends its {@code \r}
     * line); a blank line after none (0 steps), as the reference's {@code print("\n--- inference ...")}.
     */
    @Override
    public void beforeSamples() {
        if (!everDrawn) out.println();
    }

    /** The progress line for a terminal {@code columns} wide (at most {@code columns - 1} characters). */
    static String line(Progress p, double validation, double bits, int columns) {
        int step = p.step().step();
        int total = p.step().totalSteps();
        int digits = String.valueOf(total).length();
        String head = String.format(Locale.ROOT, "step %" + digits + "d/%d ", step, total);
        String percent = String.format(Locale.ROOT, " %3d%%", (int) (100L * step / total));
        List<String> fields = new ArrayList<>();   // most useful first; dropped from the end when too wide
        fields.add("loss " + PythonFormat.fixed(p.step().loss(), 4));
        fields.add("avg " + PythonFormat.fixed(p.smoothedLoss(), 4));
        fields.add(p.isLast() ? "ETA done" : p.warmingUp() ? "warming up" : "ETA " + duration(p.etaNanos()));
        if (!Double.isNaN(validation)) fields.add("val " + PythonFormat.fixed(validation, 4));
        if (!Double.isNaN(bits)) fields.add("val bpc " + PythonFormat.fixed(bits, 4));
        if (!p.warmingUp()) fields.add(String.format(Locale.ROOT, "%,.0f µs/sample", p.recentMicrosPerSample()));
        fields.add(duration(p.wallNanos()) + " elapsed");
        if (!p.warmingUp()) fields.add(String.format(Locale.ROOT, "%,.0f samples/s", p.recentSamplesPerSecond()));
        int limit = Math.max(1, columns - 1);   // the last column stays free: writing there wraps on some terminals
        while (true) {
            String tail = percent + " | " + String.join(" | ", fields);
            int room = limit - head.length() - tail.length() - 2;
            if (room >= MIN_BAR || fields.size() <= 2) {
                int width = Math.max(MIN_BAR, Math.min(MAX_BAR, room));
                return cut(head + bar(step, total, width) + tail, limit);
            }
            fields.remove(fields.size() - 1);
        }
    }

    /** The first {@code limit} characters (code points) of {@code line}. */
    private static String cut(String line, int limit) {
        if (line.codePointCount(0, line.length()) <= limit) return line;
        return line.substring(0, line.offsetByCodePoints(0, limit));
    }

    /** {@code [████░░░░]}: {@code width} cells, filled in proportion to {@code done / total}. */
    static String bar(int done, int total, int width) {
        int filled = (int) ((long) width * Math.min(done, total) / total);
        return "[" + "█".repeat(filled) + "░".repeat(width - filled) + "]";
    }

    /** {@code 4.20s} below 10 s, {@code 42.0s} below a minute, {@code 3:07} below an hour, {@code 1:02:03} above. */
    public static String duration(long nanos) {
        double seconds = nanos / 1e9;
        if (seconds < 9.995) return String.format(Locale.ROOT, "%.2fs", seconds);
        if (seconds < 59.95) return String.format(Locale.ROOT, "%.1fs", seconds);
        long s = Math.round(seconds);
        if (s < 3600) return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
