package io.microgpt.cli.sweep;

import java.nio.file.Path;

/**
 * The folder of one run, {@code DIR/runs/NNN}, and the files in it: the checkpoint it saves and resumes from,
 * its metrics and loss chart (written by {@code train}), its log (the output of every attempt, appended), and
 * the record of its attempts (one JSON line each: start, wall time, exit code).
 *
 * @param dir the folder
 */
record RunFolder(Path dir) {
    /** Where the sweep in {@code sweepDir} keeps {@code run}. */
    static RunFolder of(Path sweepDir, PlannedRun run) {
        return new RunFolder(sweepDir.resolve("runs").resolve(run.name()));
    }

    Path checkpoint() {
        return dir.resolve("checkpoint.safetensors");
    }

    Path metrics() {
        return dir.resolve("metrics.csv");
    }

    Path chart() {
        return dir.resolve("loss.svg");
    }

    Path log() {
        return dir.resolve("train.log");
    }

    Path attempts() {
        return dir.resolve("attempts.jsonl");
    }

    /** The name the run's lock is taken for ({@code .run.lock} in the folder): held while a process runs it. */
    Path lockTarget() {
        return dir.resolve("run");
    }
}
