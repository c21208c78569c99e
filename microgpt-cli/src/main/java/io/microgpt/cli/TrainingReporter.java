package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.RunHistory;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingListener;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.files.AtomicFile;
import io.microgpt.core.spi.ParameterLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Everything {@code train} reports around the steps: smoothing the loss, evaluating held-out documents when
 * due, the progress display, the metrics file, the loss chart and the summary line. Created just before
 * training starts (its clock starts then). For a resumed run, the chart and the metrics file begin with the
 * steps before the resume, from the run's {@link RunHistory} (the checkpoint keeps it).
 */
final class TrainingReporter implements TrainingListener, AutoCloseable {
    private final TrainingRun run;
    private final ProgressPrinter printer;
    private final ReportOptions options;
    private final LongSupplier clock;
    private final long start;
    private final LossSmoother smoother = new LossSmoother();
    private final LossHistory history = new LossHistory();
    private final RecentRate rate = new RecentRate();
    private final Validation validation;
    private final MetricsWriter metrics;
    private Progress last;
    private int steps;
    private BestCheckpoint best;

    TrainingReporter(TrainingRun run, ProgressPrinter printer, ReportOptions options, LongSupplier clock) {
        this.run = run;
        this.printer = printer;
        this.options = options;
        this.clock = clock;
        this.validation = new Validation(run, options.evalDocs, options.evalEvery(run.trainingConfig().steps()));
        this.metrics = options.metrics == null ? null : new MetricsWriter(options.metrics);
        replay(run.history());
        this.start = clock.getAsLong();
    }

    /** The steps done before this process (a resumed run): into the smoother, the chart and the metrics file. */
    private void replay(RunHistory past) {
        int v = 0;
        for (int i = 0; i < past.size(); i++) {
            int step = past.firstStep() + i;
            double smoothed = smoother.add(past.loss(i));
            history.add(step, past.loss(i), smoothed);
            double val = Double.NaN;
            double bits = Double.NaN;
            while (v < past.validationSize() && past.validationStep(v) <= step) {
                if (past.validationStep(v) == step) {
                    val = past.validationLoss(v);
                    bits = past.validationBitsPerCharacter(v);
                }
                v++;
            }
            if (!Double.isNaN(val)) history.addValidation(step, val, bits);
            if (metrics != null) metrics.writeSaved(step, past.loss(i), val, bits);
        }
    }

    @Override
    public void onStep(StepReport report) {
        double smoothed = smoother.add(report.loss());
        Validation.Evaluation e = validation.due(report.step(), report.totalSteps()) ? validation.evaluate() : null;
        double val = e == null ? Double.NaN : e.loss();
        double bits = e == null ? Double.NaN : e.bitsPerCharacter();
        if (e != null) run.recordValidation(val, bits);
        long wall = clock.getAsLong() - start;
        rate.update(wall, ++steps, report.elapsedNanos(), report.batchSize());
        Progress p = new Progress(report, smoothed, val, bits, wall, steps, rate.nanosPerStep(), rate.computeNanosPerSample());
        history.add(report.step(), report.loss(), smoothed);
        if (p.hasValidation()) history.addValidation(report.step(), val, bits);
        if (p.hasValidation() && best != null) best.offer(report.step(), val);
        if (metrics != null) metrics.write(p);
        printer.onStep(p);
        last = p;
    }

    /** Keeps {@code --save-best}'s checkpoint: offered every validation loss computed from now on. */
    void keepBest(BestCheckpoint keeper) {
        this.best = keeper;
    }

    /**
     * Ends the progress display, evaluates once more if training stopped between evaluations, and returns the
     * summary line. The report files come after the checkpoint: {@link #writeReports}.
     */
    String finish() {
        printer.finish();
        if (last != null && validation.enabled() && history.lastValidationStep() != last.step().step()) {
            Validation.Evaluation e = validation.evaluate();
            run.recordValidation(e.loss(), e.bitsPerCharacter());
            history.addValidation(last.step().step(), e.loss(), e.bitsPerCharacter());
            if (best != null) best.offer(last.step().step(), e.loss());
        }
        return summary();
    }

    /**
     * Puts the metrics file in place and writes the chart, each all at once (never an empty or partial file), and
     * returns what failed, one sentence each, with {@code --save-best}'s failure if it had one: nothing here
     * throws, so that a report's failure never costs the run (the caller saves the checkpoint first and reports
     * these after it).
     */
    List<String> writeReports() {
        List<String> failures = new ArrayList<>();
        if (metrics != null) metrics.finish().ifPresent(failures::add);
        if (options.plot != null) writeChart().ifPresent(failures::add);
        if (best != null) best.failure().ifPresent(failures::add);
        return failures;
    }

    /** {@code summary: 1000 steps in 0.5s | 412 µs/sample | 2,170 samples/s | smoothed loss 2.4988 | val loss 2.5541 (...)}. */
    String summary() {
        if (last == null) return "summary: no steps were trained";
        StringBuilder sb = new StringBuilder("summary: ");
        sb.append(String.format(Locale.ROOT, "%,d %s in %s | %,.0f µs/sample | %,.0f samples/s | smoothed loss %s",
                steps, steps == 1 ? "step" : "steps", LiveProgressPrinter.duration(last.wallNanos()),
                last.microsPerSample(), last.samplesPerSecond(), PythonFormat.fixed(last.smoothedLoss(), 4)));
        if (!Double.isFinite(last.step().loss())) sb.append(" (training diverged: try a lower --lr)");
        if (history.validationSize() > 0) {
            int v = history.validationSize() - 1;
            sb.append(" | val loss ").append(PythonFormat.fixed(history.validationLoss(v), 4))
                    .append(" (").append(validationLabel()).append(')');
            if (!Double.isNaN(history.validationBits(v))) {
                sb.append(" | val bpc ").append(PythonFormat.fixed(history.validationBits(v), 4));
            }
        }
        return sb.toString();
    }

    private String validationLabel() {
        return String.format(Locale.ROOT, "%,d of %,d held-out %s", validation.subsetSize(), validation.heldOut(), validation.unit());
    }

    private Optional<String> writeChart() {
        ModelConfig m = run.modelConfig();
        TrainingConfig t = run.trainingConfig();
        String title = "microgpt: " + run.source() + String.format(Locale.ROOT, ", %,d steps", t.steps());
        String subtitle = String.format(Locale.ROOT,
                "n_embd %d, n_head %d, n_layer %d, block %d, %,d params | batch %d, lr %s, seed %d | %s backend",
                m.nEmbd(), m.nHead(), m.nLayer(), m.blockSize(), new ParameterLayout(run.modelConfig()).size(), t.batchSize(),
                stripZeros(t.learningRate()), t.seed(), run.backend().name());
        String svg = LossChart.render(history, title, subtitle, "validation (" + validationLabel() + ")");
        byte[] bytes = svg.getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(options.plot, channel -> {
                for (ByteBuffer b = ByteBuffer.wrap(bytes); b.hasRemaining(); ) channel.write(b);
            });
            return Optional.empty();
        } catch (MicrogptException e) {
            return Optional.of("--plot: " + e.getMessage());
        }
    }

    private static String stripZeros(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /**
     * Puts the metrics file of a run that ended by an exception in place as far as it got (as it would have been
     * at a stop); nothing if {@link #writeReports} ran. A failure here is not told: the exception that ended the
     * run is.
     */
    @Override
    public void close() {
        if (metrics != null) metrics.finish();
    }
}
