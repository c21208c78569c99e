package io.microgpt.cli.sweep;

import io.microgpt.core.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plan as a sweep prints it before running: how many runs and what varies, the flags every run shares,
 * one line per run (index, flags, parameters, memory, estimated time, and where a folder exists, its state),
 * and the totals: time in all and with the runs side by side, memory per run and at once.
 */
final class PlanTable {
    private PlanTable() {
    }

    /**
     * @param plan      the plan
     * @param estimates one per run, in order
     * @param parallel  runs at once
     * @param state     per run index, its state in the folder ({@code finished}, {@code at step 40/200}); may lack any
     * @param where     the folder, as shown
     * @param heap      each run's heap
     * @param ram       the machine's memory
     */
    static String render(Plan plan, List<RunEstimate> estimates, int parallel, Map<Integer, String> state, String where, long heap,
                         long ram) {
        StringBuilder sb = new StringBuilder();
        List<Setting> axes = plan.axes();
        long size = plan.size();
        sb.append(String.format(Locale.ROOT, "plan: %,d run%s", size, size == 1 ? "" : "s"));
        if (!axes.isEmpty()) {
            sb.append(" (").append(axes.stream().map(Setting::shown).collect(Collectors.joining(" x "))).append(')');
        }
        sb.append(" in ").append(where).append(", ").append(parallel).append(" at a time\n");
        List<String> common = new ArrayList<>();
        for (Setting s : plan.settings()) if (!s.isAxis()) common.add(s.shown());
        if (!common.isEmpty()) sb.append("every run: ").append(String.join(" ", common)).append('\n');
        int flagsWidth = 5;
        for (RunEstimate e : estimates) flagsWidth = Math.max(flagsWidth, e.run().label().length());
        boolean withState = !state.isEmpty();
        String format = "%6s  %-" + flagsWidth + "s %12s %9s %9s" + (withState ? "  %s" : "%s");
        sb.append(String.format(Locale.ROOT, format, "index", "flags", "parameters", "memory", "time", withState ? "state" : ""))
                .append('\n');
        double total = 0;
        boolean allTimed = true;
        long largest = 0;
        for (RunEstimate e : estimates) {
            sb.append(String.format(Locale.ROOT, format, e.run().index(), e.run().label(), String.format(Locale.ROOT, "%,d", e.parameters()),
                    Text.bytes(e.memoryBytes()), time(e), withState ? state.getOrDefault(e.run().index(), "-") : "").stripTrailing()).append('\n');
            if (Double.isNaN(e.seconds())) allTimed = false;
            else total += e.seconds();
            largest = Math.max(largest, e.memoryBytes());
        }
        if (!allTimed && estimates.stream().anyMatch(e -> Double.isNaN(e.seconds()))) {
            sb.append("time: - for runs not timed (under ").append(String.format(Locale.ROOT, "%.0e", PlanEstimate.TINY_RUN_FLOPS))
                    .append(" FLOPs of training, seconds each, or already finished)\n");
        }
        if (allTimed && !estimates.isEmpty()) {
            sb.append("time: ").append(SweepFormat.seconds(total)).append(" of training in all, about ")
                    .append(SweepFormat.seconds(makespan(estimates, parallel))).append(" with ").append(parallel)
                    .append(" at a time (at the pace a trial of each shape had here, with its warm-up; ~ marks a pace scaled"
                            + " by FLOPs from another shape)\n");
        }
        sb.append("memory: at most ").append(Text.bytes(largest)).append(" a run (heap ").append(Text.bytes(heap)).append(" each), about ")
                .append(Text.bytes(MemoryFit.together(estimates, parallel))).append(" for ").append(Math.min(parallel, estimates.size()))
                .append(" at once with their JVMs (RAM ").append(ram == Long.MAX_VALUE ? "unknown" : Text.bytes(ram)).append(")\n");
        return sb.toString();
    }

    private static String time(RunEstimate e) {
        if (Double.isNaN(e.seconds())) return "-";
        return (e.pace() == RunEstimate.Pace.SCALED ? "~" : "") + SweepFormat.seconds(e.seconds());
    }

    /** The sweep's wall time if the runs go in order to the first free of {@code parallel} slots. */
    static double makespan(List<RunEstimate> estimates, int parallel) {
        double[] free = new double[Math.max(1, parallel)];
        for (RunEstimate e : estimates) {
            int slot = 0;
            for (int i = 1; i < free.length; i++) if (free[i] < free[slot]) slot = i;
            free[slot] += e.seconds();
        }
        double end = 0;
        for (double f : free) end = Math.max(end, f);
        return end;
    }
}
