package io.microgpt.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a command line picocli could not parse is described: for a mistyped command or option, the word as
 * typed (not the values after it) and picocli's "Did you mean" suggestion; otherwise picocli's own message.
 */
final class UsageError {
    private UsageError() {
    }

    /** The text after {@code error: }. */
    static String message(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) return ex.getMessage();
        String first = unmatched.getUnmatched().get(0);
        if (first.startsWith("-")) return "unknown option '" + first + "'" + otherCommandWith(ex.getCommandLine(), first);
        boolean takesSubcommands = !ex.getCommandLine().getSubcommands().isEmpty();
        return (takesSubcommands ? "unknown command '" : "unexpected argument '") + first + "'";
    }

    /**
     * {@code  (a flag of 'microgpt sweep')} when a sibling command takes the option (e.g. {@code train --parallel}),
     * else nothing. Options every command has (help, version) never count.
     */
    private static String otherCommandWith(CommandLine command, String word) {
        String option = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        CommandLine parent = command.getParent();
        if (parent == null) return "";
        List<String> owners = new ArrayList<>();
        for (CommandLine sibling : parent.getSubcommands().values()) {
            if (sibling == command || owners.contains(sibling.getCommandSpec().qualifiedName())) continue;
            OptionSpec spec = sibling.getCommandSpec().findOption(option);
            if (spec != null && !spec.usageHelp() && !spec.versionHelp()) owners.add("'" + sibling.getCommandSpec().qualifiedName() + "'");
        }
        return owners.isEmpty() ? "" : " (a flag of " + String.join(" and ", owners) + ")";
    }

    /** {@code Did you mean: train?}, when picocli finds names close to the mistyped one. */
    static Optional<String> suggestion(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException unmatched)) return Optional.empty();
        List<String> close = unmatched.getSuggestions();
        if (close.isEmpty()) return Optional.empty();
        return Optional.of("Did you mean: " + String.join(" or ", close) + "?");
    }
}
