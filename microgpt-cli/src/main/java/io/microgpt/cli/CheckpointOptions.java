package io.microgpt.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code train} options for saving, stopping and resuming a run (a picocli mixin). */
final class CheckpointOptions {
    @Option(names = "--save", paramLabel = "FILE",
            description = "save the model as safetensors at the end, with Adam state and random state so the run can be resumed"
                    + " (also on Ctrl-C / SIGTERM and at --stop-after)")
    Path save;

    @Option(names = "--save-every", paramLabel = "N", defaultValue = "0",
            description = "also save every N steps (0 = only at the end; default: ${DEFAULT-VALUE})")
    int saveEvery;

    @Option(names = "--stop-after", paramLabel = "K",
            description = "stop after step K as if interrupted: save, print how to resume, exit 0")
    Integer stopAfter;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "continue the run saved in FILE to its planned end (same data order, schedule and random state);"
                    + " saves back to FILE unless --save is given. With --steps N beyond the planned steps, the run goes on"
                    + " to step N, its learning rate following the N-step schedule from the saved step")
    Path resume;

    @Option(names = "--save-best", paramLabel = "FILE",
            description = "also keep the checkpoint of the lowest validation loss so far in FILE, saved after each evaluation"
                    + " that improves on it (needs validation: --val-fraction, or --layout stream; see --eval-every); a resumed"
                    + " run compares from its first evaluation on")
    Path saveBest;

    @Option(names = "--weights-only", description = "save only the weights (smaller; can be sampled, not resumed)")
    boolean weightsOnly;
}
