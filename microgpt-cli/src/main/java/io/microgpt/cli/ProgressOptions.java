package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How {@code train} shows its progress: live on a terminal, plain lines otherwise, or nothing but the end. */
final class ProgressOptions {
    @Option(names = "--log-every", paramLabel = "N", defaultValue = "1",
            description = "when output is not a terminal: print the step line every N steps (and the last step); default "
                    + "${DEFAULT-VALUE}, i.e. the reference's output line for line. On a terminal one live line shows "
                    + "step, bar, loss, smoothed loss, µs/sample, samples/s, elapsed and ETA.")
    int logEvery;

    @Option(names = {"-q", "--quiet"},
            description = "standard output gets only the sample lines (no header, no step lines); the summary and notices "
                    + "such as 'saved ...' go to standard error")
    boolean quiet;

    /** Throws a {@link MicrogptException} for values that cannot work. */
    void validate() {
        if (logEvery < 1) throw new MicrogptException("--log-every must be 1 or more, got " + logEvery);
    }

    /** Nothing when quiet, a live line on a terminal, plain step lines otherwise. */
    ProgressPrinter printer(PrintWriter out) {
        if (quiet) return ProgressPrinter.silent();
        if (Terminal.isInteractive()) return new LiveProgressPrinter(out, TerminalWidth.ofTerminal());
        return new PlainProgressPrinter(out, logEvery);
    }
}
