package io.microgpt.cli;

import io.microgpt.core.Backends;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.GradientCheck.FiniteDifferences;
import io.microgpt.core.spi.GradientCheck.TensorDifference;
import io.microgpt.core.spi.GradientCheck;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.spi.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code microgpt gradcheck}: every backend's gradient against the reference backend's and finite differences. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Initialise one model, compute the loss gradient on one batch with every available backend, "
                + "and print per tensor the largest difference against the scalar backend and against central finite "
                + "differences of the scalar backend's f64 loss. Exit code 0 when every difference is within tolerance, "
                + "1 otherwise (2 for bad options).")
final class GradCheckCommand implements Callable<Integer> {
    /** Exit code when a difference is above tolerance. */
    static final int EXIT_ABOVE_TOLERANCE = 1;
    /** Below this absolute difference a tensor passes whatever its scale (its expected gradient may be ~0). */
    static final double ABSOLUTE_FLOOR = 1e-10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "UTF-8 text, one document per line (default: the bundled names)")
    private Path data;

    @Option(names = "--backend", paramLabel = "NAME", description = "check only this backend (repeatable; default: every available one)")
    private List<String> backends = new ArrayList<>();

    @Mixin
    private ModelShapeOptions shape;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "4", description = "documents in the batch (default: ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingConfig.DEFAULT_SEED, description = "seed for data order, weights and sampled parameters (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--fd-samples", paramLabel = "N", defaultValue = "16",
            description = "parameters per tensor checked by finite differences: the largest gradient, the rest at random "
                    + "(default: ${DEFAULT-VALUE})")
    private int fdSamples;

    @Option(names = "--fd-step", paramLabel = "H", defaultValue = "1e-6",
            description = "finite-difference step h; parameters where steps h and h/2 disagree sit on a ReLU kink and are "
                    + "skipped (default: ${DEFAULT-VALUE})")
    private double fdStep;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-3",
            description = {"largest accepted max|difference| / max|expected gradient| per tensor (default: ${DEFAULT-VALUE});",
                    "the f64 scalar backend meets finite differences to ~1e-6 or better, leaving room for f32 rounding,",
                    "while a wrong kernel is typically off by 1e-2 or more"})
    private double tolerance;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        shape.validate();
        if (batch < 1) throw new MicrogptException("--batch must be 1 or more, got " + batch);
        if (!(tolerance > 0)) throw new MicrogptException("--tolerance must be positive, got " + tolerance);
        if (fdSamples < 1) throw new MicrogptException("--fd-samples must be 1 or more, got " + fdSamples);
        if (!(fdStep > 0) || Double.isInfinite(fdStep)) throw new MicrogptException("--fd-step must be a positive finite number, got " + fdStep);
        List<Backend> selected = new ArrayList<>();
        if (backends.isEmpty()) {
            selected.addAll(Backends.available());
            for (Backend b : Backends.all()) {
                b.unavailableReason().ifPresent(why -> out.println("skipping backend " + b.name() + ": " + why));
            }
        } else {
            for (String name : backends) selected.add(Backends.byName(name));
        }
        Dataset dataset = data == null ? Dataset.bundledNames() : Dataset.load(data, "--data");
        Backend referenceBackend = Backends.reference();
        String referenceName = referenceBackend.name();
        try (TrainingRun run = shape.applyTo(TrainingRun.builder(dataset).backend(referenceBackend))
                .batchSize(batch).steps(1).seed(seed).start()) {
            Engine reference = run.engine();
            Parameters initial = reference.parameters();
            ParameterLayout layout = initial.layout();
            int[][] docs = new int[batch][];
            List<String> training = run.trainingDocuments();
            for (int i = 0; i < batch; i++) docs[i] = run.tokenizer().encodeDocument(training.get(i % training.size()));
            double[] expected = new double[layout.size()];
            double expectedLoss = reference.lossAndGradient(docs, expected);
            int[] indices = GradientCheck.sampleIndices(layout, expected, fdSamples, seed);
            FiniteDifferences fd = GradientCheck.finiteDifferences(reference, initial, docs, indices, fdStep);

            out.printf(Locale.ROOT, "gradcheck on %s: batch of %d documents, seed %d%n", dataset.source(), batch, seed);
            out.printf(Locale.ROOT, "model: vocab %d, n_embd %d, n_head %d, n_layer %d, block_size %d (%,d parameters)%n",
                    layout.config().vocabSize(), shape.nEmbd, shape.nHead, shape.nLayer, shape.blockSize, layout.size());
            out.printf(Locale.ROOT, "finite differences: central, h %s, on the %s backend's f64 loss, %d parameters per tensor%n",
                    number(fdStep), referenceName, fdSamples);
            if (fd.kinks() > 0) {
                out.printf(Locale.ROOT, "skipped %d of %d sampled parameters: on a ReLU kink (differences at h and h/2 disagree)%n",
                        fd.kinks(), indices.length);
            }
            out.printf(Locale.ROOT, "pass: per tensor, max|difference| <= %s x max|expected| (or <= %s)%n", number(tolerance),
                    number(ABSOLUTE_FLOOR));

            List<String> failures = new ArrayList<>();
            for (Backend backend : selected) {
                double[] actual;
                double loss;
                if (backend.isReference()) {
                    actual = expected;
                    loss = expectedLoss;
                } else {
                    int[] lengths = new int[docs.length];
                    for (int i = 0; i < docs.length; i++) lengths[i] = docs[i].length;
                    MemoryEstimate.training(backend, layout.config(), batch, lengths).check(Runtime.getRuntime().maxMemory());
                    try (Engine engine = backend.open(initial, EngineOptions.defaults())) {
                        actual = new double[layout.size()];
                        loss = engine.lossAndGradient(docs, actual);
                    }
                }
                checkBackend(out, backend, referenceName, layout, actual, loss, expected, expectedLoss, fd, failures);
            }
            out.println();
            if (failures.isEmpty()) {
                out.printf(Locale.ROOT, "PASS: %d backend(s), %d tensors each, within tolerance %s%n",
                        selected.size(), layout.tensors().size(), number(tolerance));
                return 0;
            }
            out.printf(Locale.ROOT, "FAIL: %d difference(s) above tolerance %s%n", failures.size(), number(tolerance));
            for (String f : failures) out.println("  " + f);
            return EXIT_ABOVE_TOLERANCE;
        } finally {
            out.flush();
        }
    }

    private void checkBackend(PrintWriter out, Backend backend, String reference, ParameterLayout layout, double[] actual,
                              double loss, double[] expected, double expectedLoss, FiniteDifferences fd, List<String> failures) {
        String name = backend.name();
        boolean isReference = backend.isReference();
        double lossDiff = Math.abs(loss - expectedLoss);
        boolean lossOk = Double.isFinite(loss) && lossDiff <= tolerance * Math.abs(expectedLoss);
        out.println();
        out.printf(Locale.ROOT, "backend %s: loss %.12f%s%n", name, loss,
                isReference ? "" : String.format(Locale.ROOT, " (|difference| %.1e vs %s)%s", lossDiff, reference, lossOk ? "" : "  FAIL"));
        if (!lossOk) failures.add(String.format(Locale.ROOT, "%s: loss %s, %s says %s", name, loss, reference, expectedLoss));
        out.printf(Locale.ROOT, "  %-18s %-7s   %-21s   %-21s%n", "", "", "vs " + reference, "vs finite differences");
        out.printf(Locale.ROOT, "  %-18s %-7s   %10s %10s   %10s %10s%n", "tensor", "shape", "max|diff|", "rel", "max|diff|", "rel");
        List<TensorDifference> vsReference = GradientCheck.compare(layout, actual, expected);
        List<TensorDifference> vsFd = GradientCheck.compare(layout, actual, fd);
        for (int t = 0; t < layout.tensors().size(); t++) {
            TensorSpec spec = layout.tensors().get(t);
            TensorDifference r = vsReference.get(t);
            TensorDifference f = vsFd.get(t);
            boolean rOk = isReference || r.within(tolerance, ABSOLUTE_FLOOR);
            boolean fOk = f.within(tolerance, ABSOLUTE_FLOOR);
            out.printf(Locale.ROOT, "  %-18s %-7s   %21s   %21s   %s%n", spec.name(), spec.rows() + "x" + spec.cols(),
                    isReference ? "-          -" : pair(r), pair(f), rOk && fOk ? "ok" : "FAIL");
            if (!rOk) failures.add(describe(name, "vs " + reference, r));
            if (!fOk) failures.add(describe(name, "vs finite differences", f));
        }
    }

    /** 1e-06 rather than 1.0E-6. */
    private static String number(double v) {
        return String.format(Locale.ROOT, "%.0e", v);
    }

    private static String pair(TensorDifference d) {
        if (d.compared() == 0) return "(all on kinks)";
        return String.format(Locale.ROOT, "%10.1e %10.1e", d.maxAbsDifference(), d.relative());
    }

    private String describe(String backend, String against, TensorDifference d) {
        return String.format(Locale.ROOT, "%s %s %s: rel %.2e > %s (parameter %d: %s, expected %s)", backend,
                d.tensor(), against, d.relative(), number(tolerance), d.worstIndex(), d.worstActual(), d.worstExpected());
    }
}
