package io.microgpt.cli.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code train} flag as a sweep is given it: its name (the long form) and its values. No value: a switch
 * such as {@code --weights-only}; one: a flag common to every run; several (given comma-separated): an axis of
 * the grid, one run for each.
 *
 * @param flag   the flag's long name, e.g. {@code --lr}
 * @param values its values in the order given, none for a switch
 */
public record Setting(String flag, List<String> values) {
    /** Copies the values. */
    public Setting {
        values = List.copyOf(values);
    }

    /** Whether this setting varies across the runs. */
    public boolean isAxis() {
        return values.size() > 1;
    }

    /** The command-line words for one of its values: {@code [--lr, 0.01]}, or {@code [--weights-only]}. */
    public List<String> words(int valueIndex) {
        List<String> words = new ArrayList<>(2);
        words.add(flag);
        if (!values.isEmpty()) words.add(values.get(valueIndex));
        return words;
    }

    /** The setting as typed: {@code --lr 0.01,0.003}. */
    public String shown() {
        return values.isEmpty() ? flag : flag + " " + String.join(",", values);
    }
}
