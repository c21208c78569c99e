package io.microgpt.bench;

import io.microgpt.core.Backends;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.SpeedTrial;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.EngineOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens the training runs the benchmarks measure, as {@link SpeedTrial} defines them for every benchmark, on
 * the datasets the suite knows by name ({@link #dataset(String)}); adds to a backend that cannot run here the
 * JMH flag that leaves it out.
 */
final class BenchmarkRuns {
    /** The bundled 32,033 names, one document each. */
    static final String NAMES = "names";
    /** The bundled names joined into long documents ({@link LongDocuments}): every document fills a block of 256. */
    static final String LONG_NAMES = "long-names";

    private BenchmarkRuns() {
    }

    /**
     * A run of the named backend at this shape, batch and thread count on the named dataset; a
     * {@link MicrogptException} naming the backends that can run here when this one cannot.
     */
    static TrainingRun open(String backendName, String data, int nEmbd, int nHead, int nLayer, int blockSize, int batch, int threads) {
        SpeedTrial trial = new SpeedTrial(dataset(data), nEmbd, nHead, nLayer, blockSize, batch, new EngineOptions(threads));
        return trial.open(backend(backendName));
    }

    /** A run of the reference's shape but this width (4 heads, 1 layer, block 16) on the names. */
    static TrainingRun open(String backendName, int nEmbd, int batch, int threads) {
        return open(backendName, NAMES, nEmbd, 4, 1, 16, batch, threads);
    }

    /** {@link #open(String, int, int, int)} at the backend's default batch size, on one thread. */
    static TrainingRun open(String backendName, int nEmbd) {
        return open(backendName, nEmbd, backend(backendName).defaultBatchSize(), 1);
    }

    /** The dataset of this name: {@value #NAMES} or {@value #LONG_NAMES}. */
    static Dataset dataset(String name) {
        switch (name) {
            case NAMES: return Dataset.bundledNames();
            case LONG_NAMES: return LongDocuments.of(Dataset.bundledNames(), LongDocuments.MIN_CHARS);
            default: throw new MicrogptException("unknown dataset '" + name + "'; use -p data=" + NAMES + " or -p data=" + LONG_NAMES);
        }
    }

    /**
     * One line naming the run's backend, shape and batch, its {@link io.microgpt.core.spi.Engine#workingSetBytes()}
     * and its training FLOPs per sample ({@link SpeedTrial#flopsPerSample}), for the JMH log.
     */
    static String workingSetLine(TrainingRun run) {
        ModelConfig c = run.modelConfig();
        long bytes = run.engine().workingSetBytes();
        return String.format(Locale.ROOT, "%s: %s, n_embd %d, n_head %d, n_layer %d, block %d, batch %d: working set %s; %.4g MFLOP per sample",
                run.backend().name(), run.source(), c.nEmbd(), c.nHead(), c.nLayer(), c.blockSize(),
                run.trainingConfig().batchSize(), bytes < 0 ? "not reported" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6),
                SpeedTrial.flopsPerSample(run) / 1e6);
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
