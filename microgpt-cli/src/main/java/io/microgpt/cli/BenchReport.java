package io.microgpt.cli;

import com.google.gson.stream.JsonWriter;
import io.microgpt.core.Backends;
import io.microgpt.core.SpeedTrial;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of {@code microgpt bench}: a table for people and the same as JSON, with the machine it ran on.
 * The speed-up of a row is the scalar backend's median µs per sample at the same width divided by the row's.
 * A row whose figures may mislead ({@link SpeedMeasurement#warnings()}) has its ratio marked {@code *} (as
 * has every ratio taken against it) and its reasons printed under the table.
 */
final class BenchReport {
    private static final String[] HEADER = {
        "backend", "n_embd", "batch", "us/sample", "min-max", "samples/s", "GFLOP/s", "vs scalar", "warm-up", "working set"};

    private final HostInfo host;
    private final SpeedTrial trial;
    private final double roundSeconds;
    private final double maxWarmupSeconds;
    private final List<SpeedMeasurement> measurements;

    /**
     * @param host             the machine
     * @param trial            the shape, data and threads every row shares (its width and batch are the rows')
     * @param roundSeconds     length of each timed round
     * @param maxWarmupSeconds the longest warm-up allowed
     * @param measurements     the rows, in the order measured
     */
    BenchReport(HostInfo host, SpeedTrial trial, double roundSeconds, double maxWarmupSeconds, List<SpeedMeasurement> measurements) {
        this.host = host;
        this.trial = trial;
        this.roundSeconds = roundSeconds;
        this.maxWarmupSeconds = maxWarmupSeconds;
        this.measurements = List.copyOf(measurements);
    }

    /** The reference backend's row at this row's width, or null when it was not measured there. */
    private SpeedMeasurement scalarAt(SpeedMeasurement m) {
        String reference = Backends.reference().name();
        for (SpeedMeasurement s : measurements) {
            if (s.backend().equals(reference) && s.nEmbd() == m.nEmbd()) return s;
        }
        return null;
    }

    /** The reference backend's median over this row's, or NaN when it was not measured at this width. */
    double speedupOverScalar(SpeedMeasurement m) {
        SpeedMeasurement s = scalarAt(m);
        return s == null ? Double.NaN : s.median() / m.median();
    }

    /** Whether this row's ratio rests on a figure that may mislead: its own or its scalar row's. */
    boolean ratioDoubtful(SpeedMeasurement m) {
        SpeedMeasurement s = scalarAt(m);
        return !m.warnings().isEmpty() || (s != null && !s.warnings().isEmpty());
    }

    /** The table, columns aligned, after lines naming the machine and the method, before any warnings. */
    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (SpeedMeasurement m : measurements) {
            double speedup = speedupOverScalar(m);
            rows.add(new String[] {
                m.backend(), Integer.toString(m.nEmbd()), Integer.toString(m.batch()),
                micros(m.median()), micros(m.min()) + "-" + micros(m.max()),
                String.format(Locale.ROOT, "%,.0f", m.samplesPerSecond()),
                String.format(Locale.ROOT, m.gflops() >= 10 ? "%.1f" : "%.2f", m.gflops()),
                (Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup)) + (ratioDoubtful(m) ? "*" : ""),
                String.format(Locale.ROOT, "%.1f s", m.warmupSeconds()),
                m.workingSetBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", m.workingSetBytes() / 1e6)});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) for (int c = 0; c < row.length; c++) widths[c] = Math.max(widths[c], row[c].length());
        StringBuilder out = new StringBuilder();
        out.append(host.summary()).append('\n');
        out.append(String.format(Locale.ROOT, "model: n_head %d, n_layer %d, block %d; data: %s (%,d documents); threads: %s",
                trial.nHead(), trial.nLayer(), trial.blockSize(), trial.dataset().source(), trial.dataset().size(),
                trial.options().threads() == 0 ? "automatic" : Integer.toString(trial.options().threads()))).append('\n');
        String warmUp = maxWarmupSeconds >= WarmUp.MIN_SECONDS
                ? "a warm-up until the rate is steady (at least " + seconds(WarmUp.MIN_SECONDS) + " s, at most " + seconds(maxWarmupSeconds) + " s)"
                : "a warm-up of " + seconds(maxWarmupSeconds) + " s (--max-warmup: less than the " + seconds(WarmUp.MIN_SECONDS) + " s a steady rate needs)";
        out.append(String.format(Locale.ROOT, "us per training sample: median and range of %d rounds of %s s each, after %s",
                rounds(), seconds(roundSeconds), warmUp)).append('\n');
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) line.append("  ");
                String pad = " ".repeat(widths[c] - row[c].length());
                line.append(c == 0 ? row[c] + pad : pad + row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (SpeedMeasurement m : measurements) {
            if (m.warnings().isEmpty()) continue;
            out.append("* ").append(m.backend()).append(" at n_embd ").append(m.nEmbd()).append(": ")
                    .append(String.join("; ", m.warnings())).append('\n');
        }
        if (measurements.stream().anyMatch(this::ratioDoubtful)) {
            out.append("* figures and ratios so marked may mislead: measure again with a longer --seconds or --max-warmup, on a quieter machine\n");
        }
        return out.toString();
    }

    /** The same as a JSON object, with the machine, the settings and every round. */
    String json() {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.setIndent("  ");
            w.beginObject();
            w.name("cpu").value(host.cpuModel());
            w.name("cores").value(host.cores());
            w.name("javaVersion").value(host.javaVersion());
            w.name("vmName").value(host.vmName());
            w.name("vectorSpecies").value(host.vectorSpecies());
            w.name("threads").value(trial.options().threads());
            w.name("data").value(trial.dataset().source());
            w.name("documents").value(trial.dataset().size());
            w.name("nHead").value(trial.nHead());
            w.name("nLayer").value(trial.nLayer());
            w.name("blockSize").value(trial.blockSize());
            w.name("roundSeconds").value(roundSeconds);
            w.name("maxWarmupSeconds").value(maxWarmupSeconds);
            w.name("results").beginArray();
            for (SpeedMeasurement m : measurements) {
                w.beginObject();
                w.name("backend").value(m.backend());
                w.name("nEmbd").value(m.nEmbd());
                w.name("batch").value(m.batch());
                w.name("microsPerSample").beginObject();
                w.name("median").value(m.median());
                w.name("min").value(m.min());
                w.name("max").value(m.max());
                w.name("rounds").beginArray();
                for (double r : m.roundMicros()) w.value(r);
                w.endArray();
                w.endObject();
                w.name("samplesPerSecond").value(m.samplesPerSecond());
                w.name("flopsPerSample").value(m.flopsPerSample());
                w.name("gflops").value(m.gflops());
                double speedup = speedupOverScalar(m);
                w.name("speedupOverScalar");
                if (Double.isNaN(speedup)) w.nullValue(); else w.value(speedup);
                w.name("warmupSeconds").value(m.warmupSeconds());
                w.name("warmupStable").value(m.warmupStable());
                w.name("workingSetBytes");
                if (m.workingSetBytes() < 0) w.nullValue(); else w.value(m.workingSetBytes());
                w.name("warnings").beginArray();
                for (String reason : m.warnings()) w.value(reason);
                w.endArray();
                w.endObject();
            }
            w.endArray();
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // a StringWriter does not fail
        }
        return text.append('\n').toString();
    }

    private int rounds() {
        return measurements.isEmpty() ? 0 : measurements.get(0).roundMicros().length;
    }

    /** µs with three significant figures or more: 84.3, 953, 5,073, 3.12. */
    static String micros(double us) {
        if (us >= 100) return String.format(Locale.ROOT, "%,.0f", us);
        if (us >= 10) return String.format(Locale.ROOT, "%.1f", us);
        return String.format(Locale.ROOT, "%.2f", us);
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }
}
