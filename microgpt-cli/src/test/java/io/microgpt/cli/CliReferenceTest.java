package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md documents every command (and subcommand) and every flag the CLI has, no flag it lacks, and each
 * flag's default as the CLI states it: the reference cannot drift from the code unnoticed.
 */
class CliReferenceTest {
    private static final Path REFERENCE = Path.of("../docs/cli.md");
    private static final Pattern FLAG = Pattern.compile("`(--[a-z0-9-]+)");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?(?![\\w.])");

    @Test
    void everyCommandHasASectionThatListsExactlyItsFlagsWithTheirDefaults() throws IOException {
        Map<String, String> sections = sections(Files.readString(REFERENCE));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, CommandLine> command : new CommandLine(Main.class).getSubcommands().entrySet()) {
            check(command.getKey(), command.getValue(), null, sections, wrong);
        }
        assertEquals(List.of(), wrong);
        assertTrue(sections.keySet().containsAll(List.of("train", "sample", "info", "gradcheck", "bench")), sections.keySet().toString());
    }

    /**
     * A command with a section of its own ({@code ## name}, {@code ## parent name} for a subcommand) lists exactly
     * its flags in that section's tables, each with its default; a subcommand without one (as {@code sweep report})
     * has each of its flags named in its parent's section.
     */
    private static void check(String name, CommandLine command, String parentSection, Map<String, String> sections, List<String> wrong) {
        if (name.endsWith("help")) return;
        String section = sections.get(name);
        TreeSet<String> flags = new TreeSet<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            String flag = option.longestName();
            flags.add(flag);
            String row = section == null ? null : rowOf(section, flag);
            if (row == null) continue;
            String fallback = option.defaultValue();
            if (fallback != null && !fallback.isEmpty() && !states(defaultColumn(row), fallback)) {
                wrong.add(name + " " + flag + ": the CLI's default is " + fallback + ", the reference says: " + defaultColumn(row));
            }
        }
        if (section != null) {
            TreeSet<String> documented = new TreeSet<>();
            for (String line : section.lines().filter(l -> l.startsWith("| `-")).toList()) {
                Matcher m = FLAG.matcher(line.split("\\|")[1]);
                while (m.find()) documented.add(m.group(1));
            }
            if (!documented.equals(flags)) {
                TreeSet<String> missing = new TreeSet<>(flags);
                missing.removeAll(documented);
                TreeSet<String> extra = new TreeSet<>(documented);
                extra.removeAll(flags);
                wrong.add(name + ": undocumented " + missing + ", documented but absent " + extra);
            }
        } else if (!flags.isEmpty()) {
            for (String flag : flags) {
                if (parentSection == null || !parentSection.contains(flag)) wrong.add(name + ": " + flag + " is documented nowhere");
            }
        }
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            check(name + " " + sub.getKey(), sub.getValue(), section != null ? section : parentSection, sections, wrong);
        }
    }

    /** The text under each level-2 heading, by the heading (a command's: its name, as {@code tokenizer train}). */
    private static Map<String, String> sections(String page) {
        Map<String, String> sections = new TreeMap<>();
        String[] parts = page.split("\n## ");
        for (int i = 1; i < parts.length; i++) {
            sections.put(parts[i].substring(0, parts[i].indexOf('\n')).trim(), parts[i]);
        }
        return sections;
    }

    /** The table row whose first column names this flag, or null. */
    private static String rowOf(String section, String flag) {
        for (String line : section.lines().toList()) {
            if (!line.startsWith("| `-")) continue;
            Matcher m = FLAG.matcher(line.split("\\|")[1]);
            while (m.find()) if (m.group(1).equals(flag)) return line;
        }
        return null;
    }

    /**
     * Whether a default column states this default: a number as any number in the column of the same value
     * ({@code 0.0} is stated by {@code 0 (off)}, and {@code 4} by {@code 16 / 4 / 1 / 16}), anything else verbatim.
     */
    private static boolean states(String column, String fallback) {
        if (!fallback.matches("-?[0-9.]+(e-?[0-9]+)?")) return column.contains(fallback);
        Matcher m = NUMBER.matcher(column);
        while (m.find()) if (Double.parseDouble(m.group()) == Double.parseDouble(fallback)) return true;
        return false;
    }

    /** A row's second column. */
    private static String defaultColumn(String row) {
        String[] columns = row.split("(?<!\\\\)\\|");
        return columns.length > 2 ? columns[2].trim() : "";
    }
}
