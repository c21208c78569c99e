package io.microgpt.core;

import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.EngineOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run set up to measure speed, defined once for every benchmark (the CLI's {@code bench} and the
 * JMH suite): the reference's settings except the shape, batch and threads given here, the documents in the
 * reference's shuffled order (seed 42), cycling, and a planned step count ({@value #UNBOUNDED_STEPS}) that is
 * never reached, so the learning rate stays at its initial value (its linear decay takes one part in 2^31 a
 * step) however long the measurement runs.
 *
 * <p>Immutable (the dataset included), so thread-safe to share; each measurement opens its own engine.
 *
 * @param dataset   the documents to train on
 * @param nEmbd     embedding width
 * @param nHead     attention heads
 * @param nLayer    transformer blocks
 * @param blockSize context length
 * @param batch     documents per step
 * @param options   engine options (threads)
 */
public record SpeedTrial(Dataset dataset, int nEmbd, int nHead, int nLayer, int blockSize, int batch, EngineOptions options) {
    /** Steps a measured run is allowed: never reached. */
    public static final int UNBOUNDED_STEPS = Integer.MAX_VALUE;

    /** Rejects a batch below 1 (the shape is checked when a run opens). */
    public SpeedTrial {
        if (batch < 1) throw new MicrogptException("batch must be positive, got " + batch);
    }

    /** The same trial at another batch size. */
    public SpeedTrial withBatch(int newBatch) {
        return new SpeedTrial(dataset, nEmbd, nHead, nLayer, blockSize, newBatch, options);
    }

    /** Seeds, shuffles, initialises the weights and opens the backend's engine; close the run when done. */
    public TrainingRun open(Backend backend) {
        return TrainingRun.builder(dataset).backend(backend)
                .nEmbd(nEmbd).nHead(nHead).nLayer(nLayer).blockSize(blockSize)
                .batchSize(batch).steps(UNBOUNDED_STEPS).engineOptions(options).start();
    }

    /** Trains whole steps until {@code nanos} have passed (at least one step); returns how many. */
    public static int trainFor(TrainingRun run, long nanos) {
        long start = System.nanoTime();
        int steps = 0;
        do {
            run.step();
            steps++;
        } while (System.nanoTime() - start < nanos);
        return steps;
    }

    /** Mean training FLOPs per sample of an opened run, over all its training documents ({@link TrainingFlops}). */
    public static double flopsPerSample(TrainingRun run) {
        List<int[]> tokens = new ArrayList<>();
        for (String doc : run.trainingDocuments()) tokens.add(run.tokenizer().encodeDocument(doc));
        return TrainingFlops.meanPerDocument(run.modelConfig(), tokens);
    }
}
