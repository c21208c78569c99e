package io.microgpt.cli;

import io.microgpt.core.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How a command line picocli could not parse is described: for a mistyped command or option, the word as
 * typed (not the values after it) and picocli's "Did you mean" suggestion; for a value of the wrong kind, the
 * flag, the value and the kind it takes ({@code --seed 'abc' is not an integer}), never a Java type's name;
 * otherwise picocli's own message. Public for the sweep, which parses each run's flags as {@code train} does.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class UsageError {
    private UsageError() {
    }

    /** The text after {@code error: }. */
    public static String message(ParameterException ex) {
        String wrongKind = wrongKind(ex);
        if (wrongKind != null) return wrongKind;
        if (!(ex instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) return ex.getMessage();
        String first = unmatched.getUnmatched().get(0);
        if (first.startsWith("-")) return "unknown option '" + first + "'" + otherCommandWith(ex.getCommandLine(), first);
        boolean takesSubcommands = !ex.getCommandLine().getSubcommands().isEmpty();
        return (takesSubcommands ? "unknown command '" : "unexpected argument '") + first + "'";
    }

    /**
     * {@code --steps 'x' is not an integer}, {@code --lr 'abc' is not a number}, {@code --steps '9999999999' is out
     * of range (an integer up to 2147483647)}: a value picocli could not convert to the option's type; null for
     * any other error.
     */
    private static String wrongKind(ParameterException ex) {
        boolean conversion = ex.getCause() instanceof CommandLine.TypeConversionException || ex.getCause() instanceof NumberFormatException;
        if (!conversion || ex.getArgSpec() == null || ex.getValue() == null) return null;
        CommandLine.Model.ArgSpec arg = ex.getArgSpec();
        Class<?> type = arg.isMultiValue() && arg.auxiliaryTypes().length > 0 ? arg.auxiliaryTypes()[0] : arg.type();
        String name = arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
        String value = ex.getValue();
        String shown = name + " " + Text.quote(value);
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            long max = type == int.class || type == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (value.trim().matches("[-+]?\\d+")) return shown + " is out of range (an integer from " + (-max - 1) + " to " + max + ")";
            return shown + " is not an integer";
        }
        if (type == java.math.BigInteger.class) return shown + " is not an integer";
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return shown + " is not a number";
        if (type == java.nio.file.Path.class) return shown + " is not a usable file name";
        return null;
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
