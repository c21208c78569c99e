package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.ParameterLayout;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code microgpt train}: the reference run, or any variation of it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Train on a dataset, printing the loss of every step, then sample from the model.",
                "With no flags this is microgpt.py's run: same data order, weights, losses and names.",
                "A summary line (steps, time, µs/sample, smoothed loss, validation loss) goes to standard error, "
                        + "so that standard output stays the reference's byte for byte (with its step lines ending in a "
                        + "newline where the reference ends them with a carriage return)."})
final class TrainCommand implements Callable<Integer>, FlagCheck {
    @Spec
    private CommandSpec spec;

    @ArgGroup(validate = false, heading = "%nData:%n", order = 1)
    private DataOptions dataOptions = new DataOptions();

    @ArgGroup(validate = false, heading = "%nTokenizer:%n", order = 2)
    private TokenizerOptions tokenizer = new TokenizerOptions();

    @ArgGroup(validate = false, heading = "%nModel:%n", order = 3)
    private ModelShapeOptions shape = new ModelShapeOptions();

    @ArgGroup(validate = false, heading = "%nOptimisation:%n", order = 4)
    private OptimisationOptions optimisation = new OptimisationOptions();

    @ArgGroup(validate = false, heading = "%nBackend:%n", order = 5)
    private BackendOptions backendOptions = new BackendOptions();

    @ArgGroup(validate = false, heading = "%nCheckpoints:%n", order = 6)
    private CheckpointOptions checkpointOptions = new CheckpointOptions();

    @ArgGroup(validate = false, heading = "%nProgress:%n", order = 7)
    private ProgressOptions progress = new ProgressOptions();

    @ArgGroup(validate = false, heading = "%nValidation and reports:%n", order = 8)
    private ReportOptions report = new ReportOptions();

    @ArgGroup(validate = false, heading = "%nSampling after training:%n", order = 9)
    private ClosingSampleOptions sampling = new ClosingSampleOptions();

    /** The shared sampling flags, and the length of a stream run's closing passage. */
    static final class ClosingSampleOptions extends SamplingOptions {
        @Option(names = "--length", paramLabel = "N", defaultValue = "" + LayoutOutput.STREAM_PASSAGE,
                description = "characters of the passage a --layout stream run ends with; 0 = none (default: ${DEFAULT-VALUE})")
        int length = LayoutOutput.STREAM_PASSAGE;

        @Override
        void validate() {
            super.validate();
            if (length < 0) throw new MicrogptException("--length must be 0 or more, got " + length);
        }
    }

    /** The documents to train on. */
    static final class DataOptions {
        @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text, one document per line (default: the bundled 32,033 names)")
        Path data;

        @Option(names = "--layout", paramLabel = "lines|stream", defaultValue = "lines",
                description = "lines: one document per line, as the reference; stream: the whole --data file as one"
                        + " text, trained on windows of --block-size + 1 tokens at random offsets, the last --val-fraction"
                        + " validating; a stream run ends with a passage of --length characters instead of --samples names"
                        + " (default: ${DEFAULT-VALUE})")
        String layout = "lines";

        DataLayout layout() {
            try {
                return DataLayout.parse(layout);
            } catch (MicrogptException e) {
                throw new MicrogptException("--layout must be lines or stream, got '" + layout + "'");
            }
        }
    }

    /** Steps, batch, learning rate and seed. */
    static final class OptimisationOptions {
        @Option(names = "--steps", paramLabel = "N", defaultValue = "" + TrainingConfig.DEFAULT_STEPS, description = "training steps; 0 samples from the untrained model (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--batch", paramLabel = "N", description = "documents per step (default: the backend's, 1 for scalar, 16 for simd)")
        Integer batch;

        @Option(names = "--lr", paramLabel = "X", defaultValue = "" + TrainingConfig.DEFAULT_LEARNING_RATE,
                description = "initial Adam learning rate, decayed linearly to 0 unless --warmup, --schedule or --min-lr say"
                        + " otherwise (default: ${DEFAULT-VALUE})")
        double learningRate;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingConfig.DEFAULT_SEED,
                description = "random seed for shuffling, init and sampling: any integer, as Python's random.seed takes "
                        + "(default: ${DEFAULT-VALUE})")
        BigInteger seed;

        @ArgGroup(validate = false)
        OptimizerOptions optimizer = new OptimizerOptions();

        /** The controls, checked alone and against the steps and the learning rate (each checked first). */
        TrainingControls controls() {
            TrainingConfig.checkSteps(steps, Flags::of);
            TrainingConfig.checkLearningRate(learningRate, Flags::of);
            TrainingControls controls = optimizer.controls();
            TrainingConfig.checkSchedule(steps, learningRate, controls, Flags::of);
            return controls;
        }
    }

    /** Which backend computes, with how many threads. */
    static final class BackendOptions {
        @Option(names = "--backend", paramLabel = "NAME", defaultValue = "scalar",
                description = "scalar (exact f64 autograd, the reference) or simd (fast f32, batches of 16); default: ${DEFAULT-VALUE}")
        String backend;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
                description = "worker threads for backends that use them; 0 = automatic (default: ${DEFAULT-VALUE})")
        int threads;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        checkEachFlag();
        DataLayout requested = dataOptions.layout();
        TrainingSession session = new TrainingSession(checkpointOptions, spec);
        if (session.resumed() == null) tokenizer.validate(spec.commandLine().getParseResult());
        else tokenizer.checkResumed(spec.commandLine().getParseResult(), session.resumed(), checkpointOptions.resume);
        DataLayout dataLayout = session.layout(requested);
        LayoutOutput layoutOutput = LayoutOutput.of(dataLayout, sampling, spec.commandLine().getParseResult());
        TrainingControls controls = checkpointOptions.resume == null ? optimisation.controls() : optimisation.optimizer.controls();
        RunFiles files = session.files(dataOptions.data).output("--metrics", report.metrics).output("--plot", report.plot);
        files.check();
        TrainingData data = session.data(dataLayout, dataOptions.data, spec.commandLine().getErr());
        if (session.resumed() == null) {
            data = tokenizer.apply(data, spec.commandLine().getParseResult(), optimisation.seed, report.validationFraction(dataLayout));
        }
        String backend = backendOptions.backend;
        EngineOptions engineOptions = new EngineOptions(backendOptions.threads);
        TrainingRun.Builder builder = shape.applyTo(TrainingRun.builder(data).backend(backend))
                .steps(optimisation.steps).learningRate(optimisation.learningRate).seed(optimisation.seed)
                .betas(optimisation.optimizer.beta1, optimisation.optimizer.beta2).controls(controls)
                .engineOptions(engineOptions)
                .validationFraction(report.validationFraction(dataLayout));
        if (optimisation.batch != null) builder.batchSize(optimisation.batch);
        TrainingRun started = session.start(builder, data, backend, engineOptions, files);
        try (TrainingRun run = started; session) {
            BestCheckpoint best = session.best(run);
            if (best != null && run.heldOutCount() == 0) {
                throw new MicrogptException("--save-best needs a validation loss to pick the best by: add --val-fraction"
                        + " (e.g. --val-fraction 0.1)");
            }
            report.validateFor(run);
            // With --quiet, standard output has only the sample lines: notices go to standard error.
            PrintWriter notices = progress.quiet ? spec.commandLine().getErr() : out;
            if (!progress.quiet) {
                out.println(layoutOutput.dataLine(run));
                out.println("vocab size: " + run.tokenizer().vocabSize());
                String bpe = TokenizerOptions.describe(run.data());
                if (bpe != null) out.println(bpe);
                out.println("num params: " + new ParameterLayout(run.modelConfig()).size());
            }
            session.describeStart(run, notices);
            out.flush();
            notices.flush();
            ProgressPrinter printer = progress.printer(out);
            session.saveOnExit(run);
            boolean stopped;
            List<String> reportFailures;
            try (TrainingReporter reporter = new TrainingReporter(run, printer, report, System::nanoTime)) {
                if (best != null) reporter.keepBest(best);
                try {
                    run.train(session.listener(run, reporter));
                    spec.commandLine().getErr().println(reporter.finish());   // the summary: stdout stays the reference's
                } catch (OutputFailure e) {
                    throw session.saveAfter(run, e);   // the output is lost, the training is not
                }
                stopped = session.finishTraining(run, notices);   // the checkpoint first,
                reportFailures = reporter.writeReports();         // then the reports, which throw nothing
            }
            if (!reportFailures.isEmpty()) {
                throw new MicrogptException(String.join("; ", reportFailures) + session.savedNote(run));
            }
            if (stopped) return 0;
            if (best != null) {
                notices.println(best.describe());
                notices.flush();
            }
            printer.beforeSamples();
            layoutOutput.sample(run, sampling.temperature, progress.quiet, out);
        }
        return 0;
    }

    /** The checks of the flags one by one, before anything is read. */
    private void checkEachFlag() {
        shape.validate();
        sampling.validate();
        progress.validate();
        report.validate();
        if (optimisation.batch != null) TrainingConfig.checkBatchSize(optimisation.batch, Flags::of);
        EngineOptions.checkThreads(backendOptions.threads, Flags::of);
    }

    /** The flags of a fresh run checked as {@link #call} checks them before it reads anything (for the sweep's plan). */
    @Override
    public void checkFlags() {
        checkEachFlag();
        DataLayout layout = dataOptions.layout();
        tokenizer.validate(spec.commandLine().getParseResult());
        LayoutOutput.of(layout, sampling, spec.commandLine().getParseResult());
        optimisation.controls();
    }

    /** The reference's step line: {@code step    1 / 1000 | loss 3.3660}. */
    static String stepLine(StepReport r) {
        return String.format("step %4d / %4d | loss %s", r.step(), r.totalSteps(), PythonFormat.fixed(r.loss(), 4));
    }
}
