package io.microgpt.cli;

import io.microgpt.core.Backend;
import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.TrainingRun;

/**
 * Times training steps of one backend at one width: a warm-up (so the JIT has compiled the hot loops), then
 * timed rounds of whole steps, each round lasting at least the given time and at least one step. The run
 * trains on the dataset in the reference's shuffled order, cycling, with the learning rate held at its initial
 * value (the step count is never reached).
 */
final class TrainingTimer {
    private final Dataset dataset;
    private final EngineOptions options;
    private final long roundNanos;
    private final long warmupNanos;
    private final int rounds;

    /**
     * @param dataset       the documents to train on
     * @param options       engine options (threads)
     * @param roundSeconds  length of each timed round
     * @param warmupSeconds length of the untimed warm-up
     * @param rounds        number of timed rounds
     */
    TrainingTimer(Dataset dataset, EngineOptions options, double roundSeconds, double warmupSeconds, int rounds) {
        this.dataset = dataset;
        this.options = options;
        this.roundNanos = (long) (roundSeconds * 1e9);
        this.warmupNanos = (long) (warmupSeconds * 1e9);
        this.rounds = rounds;
    }

    /** Warms up, times the rounds and reports them. */
    SpeedMeasurement measure(Backend backend, int nEmbd, int batch) {
        try (TrainingRun run = TrainingRun.builder(dataset).backend(backend).nEmbd(nEmbd).batchSize(batch)
                .engineOptions(options).steps(Integer.MAX_VALUE).start()) {
            runFor(run, warmupNanos);
            double[] micros = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                int steps = runFor(run, roundNanos);
                long elapsed = System.nanoTime() - start;
                micros[r] = elapsed / 1e3 / ((double) steps * batch);
            }
            return new SpeedMeasurement(backend.name(), nEmbd, batch, micros, run.engine().workingSetBytes());
        }
    }

    /** Trains whole steps until {@code nanos} have passed (at least one step); returns how many. */
    private static int runFor(TrainingRun run, long nanos) {
        long start = System.nanoTime();
        int steps = 0;
        do {
            run.step();
            steps++;
        } while (System.nanoTime() - start < nanos);
        return steps;
    }
}
