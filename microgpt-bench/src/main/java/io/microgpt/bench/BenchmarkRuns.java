package io.microgpt.bench;

import io.microgpt.core.Backend;
import io.microgpt.core.Backends;
import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingRun;
import java.util.ArrayList;
import java.util.List;

/** Opens the training runs the benchmarks measure: the bundled names, the reference's settings but width and batch. */
final class BenchmarkRuns {
    /** Steps a benchmark run is allowed: never reached, so the learning rate stays at its initial value. */
    static final int UNBOUNDED_STEPS = Integer.MAX_VALUE;

    private BenchmarkRuns() {
    }

    /**
     * A run of the named backend at this width (4 heads, 1 layer, block 16), batch and thread count, on the
     * bundled names in the reference's shuffled order (seed 42); a {@link MicrogptException} naming the
     * backends that can run here when this one cannot.
     */
    static TrainingRun open(String backendName, int nEmbd, int batch, int threads) {
        return TrainingRun.builder(Dataset.bundledNames())
                .backend(backend(backendName))
                .nEmbd(nEmbd)
                .batchSize(batch)
                .steps(UNBOUNDED_STEPS)
                .engineOptions(new EngineOptions(threads))
                .start();
    }

    /** {@link #open(String, int, int, int)} at the backend's default batch size, on one thread. */
    static TrainingRun open(String backendName, int nEmbd) {
        Backend backend = backend(backendName);
        return open(backendName, nEmbd, backend.defaultBatchSize(), 1);
    }

    private static Backend backend(String backendName) {
        try {
            return Backends.byName(backendName);
        } catch (MicrogptException e) {
            throw new MicrogptException(e.getMessage() + "; run the benchmarks with -p backend="
                    + String.join(",", availableNames()) + " to measure only the backends that can run here", e);
        }
    }

    /** Names of the backends that can run in this JVM, scalar first. */
    static List<String> availableNames() {
        List<String> names = new ArrayList<>();
        for (Backend b : Backends.available()) names.add(b.name());
        return names;
    }
}
