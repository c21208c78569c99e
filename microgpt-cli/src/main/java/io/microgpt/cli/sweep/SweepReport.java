package io.microgpt.cli.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The results of a sweep as a table, best validation loss first: rank, run, one column per grid flag, the last
 * and the lowest validation loss (and any other validation figure the runs' metrics have, such as bits per
 * character), wall time, µs per sample, parameters, and a {@code *} on the runs of the Pareto front
 * ({@link ParetoFront}). Above it, how many of the plan's runs it covers.
 */
final class SweepReport {
    private SweepReport() {
    }

    /** The table; {@code planned} is the plan's size, {@code axes} its grid flags. */
    static String render(List<RunResult> results, long planned, List<String> axes) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingDouble((RunResult r) -> Double.isNaN(r.finalValidationLoss()) ? Double.POSITIVE_INFINITY
                : r.finalValidationLoss()).thenComparingInt(RunResult::index));
        Set<Integer> front = new HashSet<>();
        for (RunResult r : ParetoFront.of(results)) front.add(r.index());
        Set<String> extra = new LinkedHashSet<>();   // validation columns beyond the loss, e.g. final_val_bpc
        for (RunResult r : results) {
            for (String k : r.validation().keySet()) if (k.startsWith("final_val_") && !k.equals("final_val_loss")) extra.add(k);
        }
        List<String> header = new ArrayList<>(List.of("rank", "run"));
        for (String a : axes) header.add(a.replaceFirst("^--", ""));
        header.add("val loss");
        header.add("best");
        for (String k : extra) header.add(k.substring("final_".length()).replace('_', ' '));
        header.addAll(List.of("wall", "µs/sample", "params", "front"));
        List<List<String>> rows = new ArrayList<>();
        int rank = 0;
        for (RunResult r : sorted) {
            List<String> row = new ArrayList<>();
            row.add(String.valueOf(++rank));
            row.add(r.name());
            for (String a : axes) row.add(r.flags().getOrDefault(a, "-"));
            row.add(SweepFormat.loss(r.finalValidationLoss()));
            row.add(SweepFormat.loss(r.bestValidationLoss()));
            for (String k : extra) row.add(SweepFormat.loss(r.validation().getOrDefault(k, Double.NaN)));
            row.add(SweepFormat.seconds(r.wallSeconds()));
            row.add(Double.isFinite(r.microsPerSample()) ? String.format(Locale.ROOT, "%,.0f", r.microsPerSample()) : "-");
            row.add(r.parameters() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.parameters()));
            row.add(front.contains(r.index()) ? "*" : "");
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%,d of %,d runs finished", results.size(), planned));
        if (!results.isEmpty()) sb.append("; sorted by the last validation loss; * = on the Pareto front of loss against wall time");
        sb.append('\n');
        if (results.isEmpty()) return sb.toString();
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        sb.append(line(header, widths, axes.size())).append('\n');
        for (List<String> row : rows) sb.append(line(row, widths, axes.size())).append('\n');
        return sb.toString();
    }

    /** Numbers right-aligned, the run and its flags left-aligned. */
    private static String line(List<String> cells, int[] widths, int axes) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) sb.append("  ");
            boolean left = c == 1 || (c >= 2 && c < 2 + axes) || c == cells.size() - 1;
            String format = "%" + (left ? "-" : "") + widths[c] + "s";
            sb.append(String.format(Locale.ROOT, format, cells.get(c)));
        }
        return sb.toString().stripTrailing();
    }
}
