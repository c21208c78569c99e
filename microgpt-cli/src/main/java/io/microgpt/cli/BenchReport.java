package io.microgpt.cli;

import io.microgpt.core.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of {@code microgpt bench}: a table for people and the same as JSON, with the machine it ran on.
 * The speed-up of a row is the scalar backend's median µs per sample at the same width divided by the row's.
 */
final class BenchReport {
    private static final String[] HEADER = {
        "backend", "n_embd", "batch", "us/sample", "min-max", "samples/s", "vs scalar", "working set"};

    private final HostInfo host;
    private final int threads;
    private final double roundSeconds;
    private final double warmupSeconds;
    private final List<SpeedMeasurement> measurements;

    BenchReport(HostInfo host, int threads, double roundSeconds, double warmupSeconds, List<SpeedMeasurement> measurements) {
        this.host = host;
        this.threads = threads;
        this.roundSeconds = roundSeconds;
        this.warmupSeconds = warmupSeconds;
        this.measurements = List.copyOf(measurements);
    }

    /** The reference backend's median over this row's, or NaN when it was not measured at this width. */
    double speedupOverScalar(SpeedMeasurement m) {
        String reference = Backends.reference().name();
        for (SpeedMeasurement s : measurements) {
            if (s.backend().equals(reference) && s.nEmbd() == m.nEmbd()) return s.median() / m.median();
        }
        return Double.NaN;
    }

    /** The table, columns aligned, preceded by one line naming the machine and the method. */
    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (SpeedMeasurement m : measurements) {
            double speedup = speedupOverScalar(m);
            rows.add(new String[] {
                m.backend(), Integer.toString(m.nEmbd()), Integer.toString(m.batch()),
                micros(m.median()), micros(m.min()) + "-" + micros(m.max()),
                String.format(Locale.ROOT, "%,.0f", m.samplesPerSecond()),
                Double.isNaN(speedup) ? "-" : String.format(Locale.ROOT, "%.2fx", speedup),
                m.workingSetBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.1f MB", m.workingSetBytes() / 1e6)});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) for (int c = 0; c < row.length; c++) widths[c] = Math.max(widths[c], row[c].length());
        StringBuilder out = new StringBuilder();
        out.append(host.summary()).append('\n');
        out.append(String.format(Locale.ROOT, "us per training sample: median and range of %d rounds of %s s each, after %s s of warm-up; threads: %s",
                rounds(), seconds(roundSeconds), seconds(warmupSeconds), threads == 0 ? "automatic" : Integer.toString(threads))).append('\n');
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) line.append("  ");
                String pad = " ".repeat(widths[c] - row[c].length());
                line.append(c == 0 ? row[c] + pad : pad + row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** The same as a JSON object, with the machine, the settings and every round. */
    String json() {
        StringBuilder out = new StringBuilder();
        out.append("{\n");
        out.append("  \"cpu\": ").append(quote(host.cpuModel())).append(",\n");
        out.append("  \"cores\": ").append(host.cores()).append(",\n");
        out.append("  \"javaVersion\": ").append(quote(host.javaVersion())).append(",\n");
        out.append("  \"vmName\": ").append(quote(host.vmName())).append(",\n");
        out.append("  \"vectorSpecies\": ").append(host.vectorSpecies() == null ? "null" : quote(host.vectorSpecies())).append(",\n");
        out.append("  \"threads\": ").append(threads).append(",\n");
        out.append("  \"roundSeconds\": ").append(number(roundSeconds)).append(",\n");
        out.append("  \"warmupSeconds\": ").append(number(warmupSeconds)).append(",\n");
        out.append("  \"results\": [");
        for (int i = 0; i < measurements.size(); i++) {
            SpeedMeasurement m = measurements.get(i);
            double speedup = speedupOverScalar(m);
            out.append(i == 0 ? "\n" : ",\n");
            out.append("    {\"backend\": ").append(quote(m.backend()))
                    .append(", \"nEmbd\": ").append(m.nEmbd())
                    .append(", \"batch\": ").append(m.batch())
                    .append(", \"microsPerSample\": {\"median\": ").append(number(m.median()))
                    .append(", \"min\": ").append(number(m.min()))
                    .append(", \"max\": ").append(number(m.max()))
                    .append(", \"rounds\": [");
            double[] rounds = m.roundMicros();
            for (int r = 0; r < rounds.length; r++) out.append(r == 0 ? "" : ", ").append(number(rounds[r]));
            out.append("]}")
                    .append(", \"samplesPerSecond\": ").append(number(m.samplesPerSecond()))
                    .append(", \"speedupOverScalar\": ").append(Double.isNaN(speedup) ? "null" : number(speedup))
                    .append(", \"workingSetBytes\": ").append(m.workingSetBytes() < 0 ? "null" : Long.toString(m.workingSetBytes()))
                    .append('}');
        }
        out.append(measurements.isEmpty() ? "]\n" : "\n  ]\n");
        out.append("}\n");
        return out.toString();
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

    private static String number(double x) {
        return Double.isFinite(x) ? Double.toString(x) : "null";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
