package io.microgpt.cli.sweep;

/**
 * Where a running run stands, as the sweep's display shows it.
 *
 * @param run         the run
 * @param step        the last step reported (0 before the first)
 * @param total       its planned steps (0 until known)
 * @param loss        the last step's loss, NaN before the first
 * @param validation  the last validation loss reported, NaN if none yet
 * @param resumedAt   the step this attempt resumed from, -1 for a fresh start
 * @param elapsedNanos wall time since this attempt started
 * @param etaNanos    estimated wall time to its last step, -1 until there is a pace
 */
record RunStatus(PlannedRun run, int step, int total, double loss, double validation, int resumedAt, long elapsedNanos,
                 long etaNanos) {
}
