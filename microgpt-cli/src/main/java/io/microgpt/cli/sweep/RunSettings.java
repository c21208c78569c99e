package io.microgpt.cli.sweep;

import io.microgpt.cli.FlagCheck;
import io.microgpt.cli.UsageError;
import io.microgpt.core.MicrogptException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A run's {@code train} command line parsed as {@code train} parses it (by a fresh instance of the command, so
 * that types, ranges of choices and defaults are {@code train}'s own), for the sweep to read the few values
 * its estimates need. Parsing, and {@code train}'s own checks of its flags ({@link FlagCheck}), are also the check
 * that every run of the grid is one {@code train} takes: a mistake is found before the first run starts.
 */
final class RunSettings {
    private final CommandSpec parsed;

    private RunSettings(CommandSpec parsed) {
        this.parsed = parsed;
    }

    /** Parses {@code run}'s flags; a {@link MicrogptException} naming the run if {@code train} would refuse them. */
    static RunSettings parse(CommandSpec train, PlannedRun run) {
        CommandLine fresh = new CommandLine(train.userObject().getClass());
        try {
            fresh.parseArgs(run.args().toArray(String[]::new));
        } catch (ParameterException e) {
            throw new MicrogptException("run " + run.index() + " (" + run.label() + "): " + UsageError.message(e), e);
        }
        try {
            if (fresh.getCommand() instanceof FlagCheck command) command.checkFlags();
        } catch (MicrogptException e) {
            throw new MicrogptException("run " + run.index() + " (" + run.label() + "): " + e.getMessage(), e);
        }
        return new RunSettings(fresh.getCommandSpec());
    }

    /** The typed value of a flag (its default when not given), or null if {@code train} has no such flag. */
    @SuppressWarnings("unchecked")
    <T> T value(String flag) {
        OptionSpec option = parsed.findOption(flag);
        return option == null ? null : (T) option.getValue();
    }

    /** Whether the run's command line gives this flag. */
    boolean given(String flag) {
        return parsed.commandLine().getParseResult().hasMatchedOption(flag);
    }

    /** The value of an {@code int} flag of {@code train}. */
    int intValue(String flag) {
        Integer v = value(flag);
        return v;
    }
}
