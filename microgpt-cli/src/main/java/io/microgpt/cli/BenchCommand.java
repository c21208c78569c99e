package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.SpeedTrial;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.files.AtomicFile;
import io.microgpt.core.files.LiveRuns;
import io.microgpt.core.files.OutputFile;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.tokenizer.CharTokenizer;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code microgpt bench}: training speed of every available backend side by side, without JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time training of every available backend side by side: us per sample,",
                "samples/s, GFLOP/s, speed-up over scalar. Each backend warms up until its rate",
                "is steady, then runs timed rounds; the table gives their median and range and",
                "marks with * any figure that may mislead (warm-up not steady, rounds far apart,",
                "too few steps). For publishable figures use the JMH suite (docs/BENCHMARKS.md)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", split = ",",
            description = "backends to measure, comma-separated (default: every backend that can run here)")
    private List<String> backendNames;

    @Option(names = "--n-embd", paramLabel = "N", split = ",", defaultValue = "16,64",
            description = "embedding widths, comma-separated (default: ${DEFAULT-VALUE})")
    private List<Integer> widths;

    @Option(names = "--n-head", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_N_HEAD, description = "attention heads; must divide every --n-embd (default: ${DEFAULT-VALUE})")
    private int nHead;

    @Option(names = "--n-layer", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_N_LAYER, description = "transformer layers (default: ${DEFAULT-VALUE})")
    private int nLayer;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_BLOCK_SIZE, description = "context length in tokens (default: ${DEFAULT-VALUE})")
    private int blockSize;

    @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text, one document per line (default: the bundled names)")
    private Path data;

    @Option(names = "--batch", paramLabel = "N", description = "documents per step (default: each backend's own, 1 for scalar, 16 for simd)")
    private Integer batch;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "worker threads for backends that use them; 0 = automatic (default: ${DEFAULT-VALUE}, one core, comparable across backends)")
    private int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "length of each timed round (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "timed rounds per measurement (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--max-warmup", paramLabel = "S", defaultValue = "30",
            description = "longest warm-up per measurement; it ends sooner, after at least 1 s, once the rate is steady;"
                    + " figures after a warm-up that hit this limit are marked * (default: ${DEFAULT-VALUE})")
    private double maxWarmup;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results, CPU, cores, JDK and vector species as JSON")
    private Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0) || Double.isInfinite(seconds)) throw new MicrogptException("--seconds must be a positive number, got " + seconds);
        if (!(maxWarmup > 0) || Double.isInfinite(maxWarmup)) throw new MicrogptException("--max-warmup must be a positive number, got " + maxWarmup);
        if (rounds < 1) throw new MicrogptException("--rounds must be 1 or more, got " + rounds);
        EngineOptions.checkThreads(threads, Flags::of);
        if (json != null) OutputFile.check(json, "--json");   // before the benchmark, not after it
        RunFiles files = new RunFiles().input("--data", data).output("--json", json);
        files.check();
        try (LiveRuns.Registration live = files.register()) {   // held while the benchmark runs
            return measure(out, err);
        }
    }

    private int measure(PrintWriter out, PrintWriter err) {
        Dataset dataset = data == null ? Dataset.bundledNames() : Dataset.load(data, "--data");
        checkShapesAndBatch(CharTokenizer.fromDocuments(dataset.documents()).vocabSize());
        List<Backend> backends = backends(err);
        if (backends.stream().anyMatch(b -> b.name().equals("simd"))) {
            TrapLimitCheck.warning(TrapLimitCheck.current()).ifPresent(err::println);
        }

        TrainingTimer timer = new TrainingTimer(seconds, rounds, maxWarmup);
        SpeedTrial shared = new SpeedTrial(dataset, widths.get(0), nHead, nLayer, blockSize, 1, new EngineOptions(threads));
        List<SpeedMeasurement> measurements = new ArrayList<>();
        for (int nEmbd : widths) {
            for (Backend backend : backends) {
                int b = batch != null ? batch : backend.defaultBatchSize();
                err.println("measuring " + backend.name() + " at n_embd " + nEmbd + ", batch " + b + "...");
                err.flush();
                SpeedMeasurement m = timer.measure(backend, new SpeedTrial(dataset, nEmbd, nHead, nLayer, blockSize, b, new EngineOptions(threads)));
                err.println(String.format(Locale.ROOT, "  warmed up %.1f s (%s)", m.warmupSeconds(),
                        m.warmupStable() ? "rate steady" : "rate still changing at --max-warmup " + maxWarmup));
                err.flush();
                measurements.add(m);
            }
        }
        BenchReport report = new BenchReport(HostInfo.current(), shared, seconds, maxWarmup, measurements);
        out.print(report.table());
        out.flush();
        if (json != null) write(json, report.json());
        return 0;
    }

    /** Fails before any measurement if a shape or the batch cannot make a model. */
    private void checkShapesAndBatch(int vocabSize) {
        if (widths.isEmpty()) throw new MicrogptException("--n-embd needs at least one width");
        for (int nEmbd : widths) {
            try {
                new ModelConfig(vocabSize, nEmbd, nHead, nLayer, blockSize, ModelConfig.DEFAULT_INIT_STD);
            } catch (MicrogptException e) {
                throw new MicrogptException("--n-embd " + nEmbd + ": " + e.getMessage(), e);
            }
        }
        if (batch != null && batch <= 0) throw new MicrogptException("--batch must be positive, got " + batch);
    }

    /** The chosen backends (each must be able to run), or every available one, naming those skipped. */
    private List<Backend> backends(PrintWriter err) {
        List<Backend> chosen = new ArrayList<>();
        if (backendNames != null) {
            for (String name : backendNames) chosen.add(Backends.byName(name.trim()));
            return chosen;
        }
        for (Backend b : Backends.all()) {
            if (b.unavailableReason().isPresent()) {
                err.println("skipping " + b.name() + ": " + b.unavailableReason().get());
            } else {
                chosen.add(b);
            }
        }
        if (chosen.isEmpty()) throw new MicrogptException("no backend can run here; see the messages above");
        return chosen;
    }

    /** Writes the JSON all at once, as checkpoints are: never an empty or partial file, a previous one kept on failure. */
    private static void write(Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, channel -> {
                for (ByteBuffer b = ByteBuffer.wrap(bytes); b.hasRemaining(); ) channel.write(b);
            });
        } catch (MicrogptException e) {
            throw new MicrogptException("--json: " + e.getMessage(), e);
        }
    }
}
