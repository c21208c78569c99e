package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads the {@code train} flags of a sweep (given after, before or between the sweep's own) into
 * {@link Setting}s, checking each against {@code train}'s own options: the flag must exist, take a value if
 * it takes one, and be one a sweep can pass on. Values are split at commas; a flag given twice is refused.
 * The values themselves are checked later, when each run's command line is parsed as {@code train} would.
 */
final class TrainFlags {
    /**
     * Train flags a sweep sets itself for each run or that would break it, and why (the text follows
     * {@code error: FLAG }).
     */
    private static final Map<String, String> REFUSED = Map.of(
            "--save", "is set by the sweep: each run saves to DIR/runs/NNN/checkpoint.safetensors",
            "--metrics", "is set by the sweep: each run writes DIR/runs/NNN/metrics.csv",
            "--plot", "is set by the sweep: each run draws DIR/runs/NNN/loss.svg",
            "--save-best", "is not available in a sweep: results.jsonl keeps each run's best validation loss and its step",
            "--stop-after", "is not available in a sweep: runs go to their last step (Ctrl-C stops them all, saved, and"
                    + " 'microgpt sweep --resume DIR' goes on)",
            "--weights-only", "is not available in a sweep: runs must stay resumable",
            "--quiet", "is not available in a sweep: the sweep follows each run's progress in its log");
    /** Flags that change how a run is executed but not what it computes: left out of the plan's identity. */
    static final Set<String> EXECUTION_ONLY = Set.of("--threads", "--log-every", "--save-every");

    private final CommandSpec train;

    /** Checks flags against {@code train}'s options. */
    TrainFlags(CommandSpec train) {
        this.train = train;
    }

    /**
     * The settings in {@code words} (e.g. {@code --lr 0.01,0.003 --steps=200}), in the order given;
     * {@code source} names where they come from in messages (e.g. {@code grid.txt line 3}), or null for the
     * command line.
     */
    List<Setting> read(List<String> words, String source) {
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String name = word;
            String value = null;
            int equals = word.indexOf('=');
            if (word.startsWith("--") && equals > 0) {
                name = word.substring(0, equals);
                value = word.substring(equals + 1);
            }
            if (!name.startsWith("-")) {
                throw new MicrogptException(at(source) + "unexpected argument " + Text.quote(word) + ": give train flags as --flag VALUE"
                        + " (comma-separated values to sweep over)");
            }
            OptionSpec option = train.findOption(name);
            if (option == null) {
                throw new MicrogptException(at(source) + "unknown option " + Text.quote(name) + ": neither a sweep nor a train flag"
                        + " (see 'microgpt sweep --help' and 'microgpt train --help')");
            }
            String flag = option.longestName();
            if (option.usageHelp() || option.versionHelp()) {
                throw new MicrogptException(at(source) + flag + " is not a flag to sweep with");
            }
            if (REFUSED.containsKey(flag)) throw new MicrogptException(at(source) + flag + " " + REFUSED.get(flag));
            boolean isSwitch = option.arity().max() == 0;
            if (isSwitch) {
                if (value != null) throw new MicrogptException(at(source) + flag + " takes no value, got " + Text.quote(value));
                settings.add(new Setting(flag, List.of()));
                continue;
            }
            if (value == null) {
                if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
                    throw new MicrogptException(at(source) + flag + " needs a value (" + option.paramLabel() + "), or several"
                            + " comma-separated to sweep over");
                }
                value = words.get(++i);
            }
            settings.add(new Setting(flag, values(flag, value, source)));
        }
        return join(settings, List.of(), null);
    }

    /**
     * Joins settings from several places (the command line, a grid file), refusing a flag given twice: a flag's
     * values are given once, comma-separated.
     */
    static List<Setting> join(List<Setting> first, List<Setting> second, String secondSource) {
        Map<String, Setting> byFlag = new LinkedHashMap<>();
        for (Setting s : first) add(byFlag, s, "");
        for (Setting s : second) add(byFlag, s, secondSource == null ? "" : " (and in " + secondSource + ")");
        return List.copyOf(byFlag.values());
    }

    private static void add(Map<String, Setting> byFlag, Setting s, String where) {
        if (byFlag.putIfAbsent(s.flag(), s) != null) {
            throw new MicrogptException(s.flag() + " is given twice" + where + ": give its values once, comma-separated"
                    + " (e.g. " + s.flag() + " A,B)");
        }
    }

    private static List<String> values(String flag, String text, String source) {
        List<String> values = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String v = part.strip();
            if (v.isEmpty()) {
                throw new MicrogptException(at(source) + flag + " " + Text.quote(text) + " has an empty value: the grid would have"
                        + " no run for it; give values like " + flag + " A,B");
            }
            if (values.contains(v)) {
                throw new MicrogptException(at(source) + flag + " " + Text.quote(text) + " gives " + Text.quote(v) + " twice:"
                        + " two runs would be the same");
            }
            values.add(v);
        }
        return values;
    }

    private static String at(String source) {
        return source == null ? "" : source + ": ";
    }
}
