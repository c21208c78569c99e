package io.microgpt.cli.sweep;

import java.util.List;

/**
 * How a sweep shows what it does: lines that stay (a run started, finished, failed) and the progress of the
 * running runs, called on every poll. {@link LiveTable} redraws a table in place on a terminal;
 * {@link PlainLines} prints plain lines for pipes, files and cluster job logs. Called from one thread.
 */
interface SweepDisplay {
    /** Where the sweep stands as a whole. */
    record Totals(int finished, int planned, int running, int failed, long elapsedNanos, long etaNanos) {
    }

    /** A line that stays. */
    void event(String line);

    /** The running runs now. */
    void progress(List<RunStatus> running, Totals totals);

    /** Ends the display (a live table is left as last drawn). */
    void close();
}
