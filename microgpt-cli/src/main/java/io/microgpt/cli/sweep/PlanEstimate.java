package io.microgpt.cli.sweep;

import io.microgpt.cli.SpeedMeasurement;
import io.microgpt.cli.TrainingTimer;
import io.microgpt.core.Backends;
import io.microgpt.core.MemoryEstimate;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.SpeedTrial;
import io.microgpt.core.TrainingFlops;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.EngineOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Estimates, before anything runs, what each run of a plan needs: parameters and heap from the model's shape
 * and the data ({@link MemoryEstimate}, as {@code train} checks it), and time from a trial of training at the
 * run's shape, backend, batch and threads, timed as {@code bench} times it ({@link TrainingTimer}: warmed up
 * until the pace is steady, at most {@value #MAX_WARMUP_SECONDS} s, then {@value #ROUNDS} rounds of
 * {@value #ROUND_SECONDS} s), scaled by the run's FLOPs per sample ({@link TrainingFlops}) and steps,
 * evaluations included (a held-out document costs a forward pass, a third of a training sample), plus the
 * warm-up its backend needed before its first trial, while the JIT compiled the kernels every shape shares
 * (at most {@value #MAX_FIRST_WARMUP_SECONDS} s, not timed): a run's JVM starts cold too. At most {@value #MAX_TRIALS}
 * shapes are tried, and none whose one step would be too long to try ({@value #MAX_TRIAL_FLOPS} FLOPs); the
 * others take the pace of the tried shape of their backend with the most FLOPs per sample (larger shapes run
 * closer to the peak). Runs of less than {@value #TINY_RUN_FLOPS} FLOPs in all are not timed (a trial would
 * outlast them). Not thread-safe: one plan is estimated on one thread.
 */
final class PlanEstimate {
    static final double ROUND_SECONDS = 0.2;
    static final int ROUNDS = 2;
    static final double MAX_WARMUP_SECONDS = 3;
    /** Before its first trial, a backend warms up this long at most while the JIT compiles the kernels every shape shares. */
    static final double MAX_FIRST_WARMUP_SECONDS = 6;
    static final int MAX_TRIALS = 4;
    static final double MAX_TRIAL_FLOPS = 2e9;
    /** A run of less training than this takes seconds (simd) to a minute (scalar): a trial would take about as long. */
    static final double TINY_RUN_FLOPS = 1e10;

    private final CommandSpec train;
    private final int threads;
    private final PrintWriter progress;
    private final Map<String, TrainingData> data = new HashMap<>();
    private final Map<String, Double> flopsPerSample = new HashMap<>();
    private final Map<String, Double> nanosPerFlop = new HashMap<>();
    private final Map<String, Double> triedFlops = new HashMap<>();
    /** Per backend, the warm-up of its first trial: what a run's cold JVM spends before it reaches its pace. */
    private final Map<String, Double> warmUp = new HashMap<>();
    private int trials;

    /**
     * @param train   {@code train}'s command spec, to parse each run's flags
     * @param threads  the worker threads each run gets (for runs that do not set {@code --threads}); 0 automatic
     * @param progress where to say which trial runs (it takes seconds), or null
     */
    PlanEstimate(CommandSpec train, int threads, PrintWriter progress) {
        this.train = train;
        this.threads = threads;
        this.progress = progress;
    }

    /** Parameters and memory of a run, checked as {@code train} would check them; no time ({@code NaN}). */
    RunEstimate size(PlannedRun run) {
        return estimate(run, false);
    }

    /** Parameters, memory and time of a run (may run a short trial). */
    RunEstimate full(PlannedRun run) {
        return estimate(run, true);
    }

    private RunEstimate estimate(PlannedRun run, boolean withTime) {
        RunSettings s = RunSettings.parse(train, run);
        try {
            Shape shape = shape(s);
            long memory = MemoryEstimate.training(shape.backend, shape.config, shape.batch, shape.sampleLengths).bytes();
            long parameters = MemoryEstimate.parameters(shape.config);
            if (!withTime) return new RunEstimate(run, parameters, memory, Double.NaN, RunEstimate.Pace.NONE);
            double perSample = flopsPerSample(shape);
            double samples = (double) shape.steps * shape.batch + evaluationSamples(s, shape);
            if (perSample * samples < TINY_RUN_FLOPS) return new RunEstimate(run, parameters, memory, Double.NaN, RunEstimate.Pace.NONE);
            boolean measured = pace(shape, perSample);
            double nanos = nanosPerFlop.getOrDefault(key(shape), paceOfNearest(shape)) * perSample;
            double seconds = samples * nanos / 1e9 + warmUp.getOrDefault(shape.backend.name(), 0.0);
            return new RunEstimate(run, parameters, memory, seconds, measured ? RunEstimate.Pace.MEASURED : RunEstimate.Pace.SCALED);
        } catch (MicrogptException e) {
            throw new MicrogptException("run " + run.index() + " (" + run.label() + "): " + e.getMessage(), e);
        }
    }

    /** What the estimates need of a run. */
    private record Shape(Backend backend, ModelConfig config, int batch, int threads, int steps, String dataKey, TrainingData data,
                         int[] sampleLengths) {
    }

    private Shape shape(RunSettings s) {
        Backend backend = Backends.byName(s.<String>value("--backend"));
        backend.unavailableReason().ifPresent(reason -> {
            throw new MicrogptException("backend " + backend.name() + " cannot run here: " + reason);
        });
        DataLayout layout = DataLayout.parse(s.<String>value("--layout"));
        Path file = s.value("--data");
        String dataKey = layout + ":" + (file == null ? "" : file.toString());
        Integer batchFlag = s.value("--batch");
        int batch = batchFlag != null ? batchFlag : backend.defaultBatchSize();
        if (batch < 1) throw new MicrogptException("--batch must be positive, got " + batch);
        int steps = s.intValue("--steps");
        if (steps < 0) throw new MicrogptException("--steps must be 0 or more, got " + steps);
        int runThreads = s.given("--threads") ? s.intValue("--threads") : threads;
        if (layout == DataLayout.STREAM && file == null) {
            throw new MicrogptException("--layout stream needs --data FILE, a text to train on");
        }
        TrainingData data = this.data.computeIfAbsent(dataKey, k -> layout == DataLayout.STREAM ? TextStream.load(file)
                : file == null ? Dataset.bundledNames() : Dataset.load(file));
        int blockSize = s.intValue("--block-size");
        ModelConfig config = new ModelConfig(vocabSize(s, data), s.intValue("--n-embd"), s.intValue("--n-head"),
                s.intValue("--n-layer"), blockSize, ModelConfig.DEFAULT_INIT_STD);
        return new Shape(backend, config, batch, runThreads, steps, dataKey, data, data.sampleLengths(blockSize));
    }

    /**
     * The model's vocabulary: {@code --vocab-size} for a tokenizer learnt to that size ({@code --tokenizer bpe}),
     * else the characters of the data. (With a learnt tokenizer the samples, counted in characters here, are
     * shorter in tokens: the estimates lean high.)
     */
    private static int vocabSize(RunSettings s, TrainingData data) {
        Object tokenizer = s.value("--tokenizer");
        Integer vocab = s.value("--vocab-size");
        if (tokenizer != null && !"char".equals(String.valueOf(tokenizer)) && vocab != null) return vocab + 1;   // BOS besides
        return data.tokenizer().vocabSize();
    }

    /** Mean training FLOPs of one sample, over the samples the run may train on ({@link TrainingFlops}). */
    private double flopsPerSample(Shape shape) {
        String key = shape.dataKey + "|" + shape.config;
        return flopsPerSample.computeIfAbsent(key, k -> {
            double sum = 0;
            for (int length : shape.sampleLengths) sum += TrainingFlops.perDocument(shape.config, Math.min(shape.config.blockSize(), length - 1));
            return sum / shape.sampleLengths.length;
        });
    }

    /** Held-out samples evaluated over the run, weighted as a third of a training sample each (forward only). */
    private static double evaluationSamples(RunSettings s, Shape shape) {
        Double fraction = s.value("--val-fraction");
        if (fraction == null || fraction == 0 || shape.steps == 0) return 0;
        Integer every = s.value("--eval-every");
        int evalEvery = every != null ? every : Math.max(1, (shape.steps + 9) / 10);
        int evaluations = evalEvery == 0 ? 1 : shape.steps / evalEvery + (shape.steps % evalEvery == 0 ? 0 : 1);
        int heldOut = shape.data.layout() == DataLayout.LINES ? (int) Math.max(1, Math.round(fraction * shape.data.size())) : Integer.MAX_VALUE;
        int docs = Math.min(s.intValue("--eval-docs"), heldOut);
        return evaluations * (double) docs / 3;
    }

    private static String key(Shape s) {
        ModelConfig c = s.config;
        return s.backend.name() + "|" + c.nEmbd() + "|" + c.nHead() + "|" + c.nLayer() + "|" + c.blockSize() + "|" + s.batch + "|" + s.threads;
    }

    /** Measures the pace at this shape if it is worth a trial; returns whether the shape's own pace is known. */
    private boolean pace(Shape shape, double perSample) {
        String key = key(shape);
        if (nanosPerFlop.containsKey(key)) return true;
        if (trials >= MAX_TRIALS || perSample * shape.batch > MAX_TRIAL_FLOPS) {
            if (hasPaceFor(shape.backend)) return false;
            // nothing tried on this backend yet: try a small model of it instead
            ModelConfig small = new ModelConfig(shape.config.vocabSize(), 64, 4, 1, Math.min(64, shape.config.blockSize()),
                    ModelConfig.DEFAULT_INIT_STD);
            Shape smaller = new Shape(shape.backend, small, Math.min(shape.batch, shape.backend.defaultBatchSize()), shape.threads,
                    shape.steps, shape.dataKey, shape.data, shape.sampleLengths);
            measure(smaller);
            return false;
        }
        measure(shape);
        return true;
    }

    private boolean hasPaceFor(Backend backend) {
        return triedFlops.keySet().stream().anyMatch(k -> k.startsWith(backend.name() + "|"));
    }

    /** The pace of the tried shape of this backend with the most FLOPs per sample. */
    private double paceOfNearest(Shape shape) {
        return triedFlops.entrySet().stream().filter(e -> e.getKey().startsWith(shape.backend.name() + "|"))
                .max(Comparator.comparingDouble(Map.Entry::getValue)).map(e -> nanosPerFlop.get(e.getKey()))
                .orElseThrow(() -> new IllegalStateException("no pace measured for " + shape.backend.name()));
    }

    /** Times the shape on the bundled names as {@code bench} does and keeps its nanoseconds per FLOP. */
    private void measure(Shape shape) {
        trials++;
        ModelConfig c = shape.config;
        SpeedTrial trial = new SpeedTrial(Dataset.bundledNames(), c.nEmbd(), c.nHead(), c.nLayer(), c.blockSize(), shape.batch,
                new EngineOptions(shape.threads));
        if (progress != null) {
            progress.println("timing " + shape.backend.name() + " at n_embd " + c.nEmbd() + ", " + c.nLayer() + " layer"
                    + (c.nLayer() == 1 ? "" : "s") + ", block " + c.blockSize() + ", batch " + shape.batch + " for the time estimates...");
            progress.flush();
        }
        if (!warmUp.containsKey(shape.backend.name())) {
            // the JIT compiles the backend's kernels first (which every shape shares): a warm-up not timed
            SpeedMeasurement cold = new TrainingTimer(ROUND_SECONDS, 1, MAX_FIRST_WARMUP_SECONDS).measure(shape.backend, trial);
            warmUp.put(shape.backend.name(), cold.warmupSeconds());
        }
        SpeedMeasurement m = new TrainingTimer(ROUND_SECONDS, ROUNDS, MAX_WARMUP_SECONDS).measure(shape.backend, trial);
        nanosPerFlop.put(key(shape), m.median() * 1e3 / m.flopsPerSample());
        triedFlops.put(key(shape), m.flopsPerSample());
    }

}
