package io.microgpt.cli.sweep;

import io.microgpt.cli.LiveProgressPrinter;
import java.util.Locale;

/** Numbers and times as the sweep's lines and tables show them. */
final class SweepFormat {
    private SweepFormat() {
    }

    /** {@code step 40/200 | loss 2.5123 | val 2.4987 | ETA 0:12}. */
    static String progress(RunStatus s) {
        StringBuilder sb = new StringBuilder("step " + s.step() + "/" + s.total() + " | loss " + loss(s.loss()));
        if (!Double.isNaN(s.validation())) sb.append(" | val ").append(loss(s.validation()));
        sb.append(" | ETA ").append(eta(s));
        return sb.toString();
    }

    /** The ETA of a run, {@code done} at its end, {@code -} before there is a pace. */
    static String eta(RunStatus s) {
        if (s.total() > 0 && s.step() >= s.total()) return "done";
        return s.etaNanos() < 0 ? "-" : duration(s.etaNanos());
    }

    /** A loss to 4 decimals, {@code -} for none. */
    static String loss(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A duration as the progress line shows it: {@code 4.20s}, {@code 42.0s}, {@code 3:07}, {@code 1:02:03}. */
    static String duration(long nanos) {
        return LiveProgressPrinter.duration(nanos);
    }

    /** Seconds as a duration. */
    static String seconds(double seconds) {
        return Double.isFinite(seconds) ? duration((long) (seconds * 1e9)) : "-";
    }
}
