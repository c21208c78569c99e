package io.microgpt.cli;

import io.microgpt.core.Backend;
import io.microgpt.core.Backends;
import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.OutputFile;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code microgpt bench}: training speed of every available backend side by side, without JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time training of every available backend side by side: us per sample, samples/s, speed-up over scalar.",
                "On the bundled names: a warm-up, then timed rounds; the table gives their median and range.",
                "For publishable figures use the JMH suite (docs/BENCHMARKS.md)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", split = ",",
            description = "backends to measure, comma-separated (default: every backend that can run here)")
    private List<String> backendNames;

    @Option(names = "--n-embd", paramLabel = "N", split = ",", defaultValue = "16,64",
            description = "embedding widths, comma-separated; 4 heads, 1 layer, block 16 (default: ${DEFAULT-VALUE})")
    private List<Integer> widths;

    @Option(names = "--batch", paramLabel = "N", description = "documents per step (default: each backend's own, 1 for scalar, 16 for simd)")
    private Integer batch;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "worker threads for backends that use them; 0 = automatic (default: ${DEFAULT-VALUE}, one core, comparable across backends)")
    private int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "length of each timed round; the warm-up lasts two rounds (default: ${DEFAULT-VALUE})")
    private double seconds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "timed rounds per measurement (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results, CPU, cores, JDK and vector species as JSON")
    private Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0) || Double.isInfinite(seconds)) throw new MicrogptException("--seconds must be a positive number, got " + seconds);
        if (rounds < 1) throw new MicrogptException("--rounds must be 1 or more, got " + rounds);
        if (threads < 0) throw new MicrogptException("--threads must be 0 (automatic) or positive, got " + threads);
        if (json != null) OutputFile.check(json, "--json");   // before the benchmark, not after it
        Dataset dataset = Dataset.bundledNames();
        checkWidthsAndBatch(Tokenizer.fromDocuments(dataset.documents()).vocabSize());
        List<Backend> backends = backends(err);

        TrainingTimer timer = new TrainingTimer(dataset, new EngineOptions(threads), seconds, 2 * seconds, rounds);
        List<SpeedMeasurement> measurements = new ArrayList<>();
        for (int nEmbd : widths) {
            for (Backend backend : backends) {
                int b = batch != null ? batch : backend.defaultBatchSize();
                err.println("measuring " + backend.name() + " at n_embd " + nEmbd + ", batch " + b + "...");
                err.flush();
                measurements.add(timer.measure(backend, nEmbd, b));
            }
        }
        BenchReport report = new BenchReport(HostInfo.current(), threads, seconds, 2 * seconds, measurements);
        out.print(report.table());
        out.flush();
        if (json != null) write(json, report.json());
        return 0;
    }

    /** Fails before any measurement if a width or the batch cannot make a model. */
    private void checkWidthsAndBatch(int vocabSize) {
        if (widths.isEmpty()) throw new MicrogptException("--n-embd needs at least one width");
        for (int nEmbd : widths) {
            try {
                new ModelConfig(vocabSize, nEmbd, 4, 1, 16, ModelConfig.DEFAULT_INIT_STD);
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

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MicrogptException("cannot write --json " + file + ": " + e, e);
        }
    }
}
