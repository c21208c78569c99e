package io.microgpt.cli;

import io.microgpt.core.Dataset;
import io.microgpt.core.EngineOptions;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code microgpt train}: the reference run, or any variation of it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train on a dataset, printing the loss of every step, then sample from the model.",
                "With no flags this is microgpt.py's run: same data order, weights, losses and names.",
                "A summary line (steps, time, µs/sample, smoothed loss, validation loss) goes to standard error, "
                        + "so that standard output stays the reference's byte for byte."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text, one document per line (default: the bundled 32,033 names)")
    private Path data;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "scalar",
            description = "scalar (exact f64 autograd, the reference) or simd (fast f32, batches of 16); default: ${DEFAULT-VALUE}")
    private String backend;

    @Option(names = "--n-embd", paramLabel = "N", defaultValue = "16", description = "embedding width (default: ${DEFAULT-VALUE})")
    private int nEmbd;

    @Option(names = "--n-head", paramLabel = "N", defaultValue = "4", description = "attention heads; must divide --n-embd (default: ${DEFAULT-VALUE})")
    private int nHead;

    @Option(names = "--n-layer", paramLabel = "N", defaultValue = "1", description = "transformer layers (default: ${DEFAULT-VALUE})")
    private int nLayer;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "16", description = "context length in tokens (default: ${DEFAULT-VALUE})")
    private int blockSize;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1000", description = "training steps (default: ${DEFAULT-VALUE})")
    private int steps;

    @Option(names = "--batch", paramLabel = "N", description = "documents per step (default: the backend's, 1 for scalar, 16 for simd)")
    private Integer batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.01", description = "initial Adam learning rate, decayed linearly to 0 (default: ${DEFAULT-VALUE})")
    private double learningRate;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "random seed for shuffling, init and sampling (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "20", description = "names to sample after training (default: ${DEFAULT-VALUE})")
    private int samples;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.5", description = "sampling temperature in (0, 1] (default: ${DEFAULT-VALUE})")
    private double temperature;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "worker threads for backends that use them; 0 = automatic (default: ${DEFAULT-VALUE})")
    private int threads;

    @Mixin
    private CheckpointOptions checkpointOptions;

    @Mixin
    private ProgressOptions progress;

    @Mixin
    private ReportOptions report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        SamplingFlags.check(samples, temperature);
        progress.validate();
        report.validate();
        RunCheckpoints checkpoints = new RunCheckpoints(checkpointOptions, spec);
        checkpoints.files(data).output("--metrics", report.metrics).output("--plot", report.plot).check();
        Dataset dataset = checkpoints.dataset(data, spec.commandLine().getErr());
        TrainingRun.Builder builder = TrainingRun.builder(dataset)
                .backend(backend)
                .nEmbd(nEmbd).nHead(nHead).nLayer(nLayer).blockSize(blockSize)
                .steps(steps).learningRate(learningRate).seed(seed)
                .engineOptions(new EngineOptions(threads))
                .validationFraction(report.validationFraction);
        if (batch != null) builder.batchSize(batch);
        try (TrainingRun run = checkpoints.start(builder, dataset, backend, new EngineOptions(threads)); checkpoints) {
            report.validateFor(run);
            if (!progress.quiet) {
                out.println("num docs: " + dataset.size());
                out.println("vocab size: " + run.tokenizer().vocabSize());
                out.println("num params: " + run.engine().parameters().size());
                checkpoints.describeStart(run, out);
            }
            out.flush();
            ProgressPrinter printer = progress.printer(out);
            checkpoints.saveOnExit(run);
            try (TrainingReporter reporter = new TrainingReporter(run, printer, report, System::nanoTime)) {
                run.train(checkpoints.listener(run, reporter));
                spec.commandLine().getErr().println(reporter.finish());   // the summary: stdout stays the reference's
            }
            if (checkpoints.finishTraining(run, out)) return 0;
            printer.beforeSamples();
            if (!progress.quiet) out.println("--- inference (new, hallucinated names) ---");
            for (int i = 1; i <= samples; i++) {
                out.println(String.format("sample %2d: %s", i, run.sample(temperature)));
            }
            out.flush();
        }
        return 0;
    }

    /** The reference's step line: {@code step    1 / 1000 | loss 3.3660}. */
    static String stepLine(StepReport r) {
        return String.format("step %4d / %4d | loss %s", r.step(), r.totalSteps(), PythonFormat.fixed(r.loss(), 4));
    }
}
