package io.microgpt.cli.sweep;

import java.util.List;

/**
 * One run of a plan: its place, its folder name, the grid values that set it apart and its whole
 * {@code train} command line (without the files the sweep adds: checkpoint, metrics, chart).
 *
 * @param index   0-based place in the plan, as {@code --index} takes it
 * @param name    its folder under {@code DIR/runs}: the index with leading zeros, e.g. {@code 007}
 * @param varying the grid's settings for this run, one value each (empty for a plan without axes)
 * @param args    the {@code train} flags of the run, common and varying, in the order they were given
 */
public record PlannedRun(int index, String name, List<Setting> varying, List<String> args) {
    /** Copies the lists. */
    public PlannedRun {
        varying = List.copyOf(varying);
        args = List.copyOf(args);
    }

    /** What sets it apart, as flags: {@code --n-embd 32 --lr 0.003}, or {@code (the only run)}. */
    public String label() {
        if (varying.isEmpty()) return "(the only run)";
        StringBuilder sb = new StringBuilder();
        for (Setting s : varying) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(s.shown());
        }
        return sb.toString();
    }
}
