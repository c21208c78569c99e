package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A command-line profile of one-thread training steps, {@link Phase} by phase ({@link PhaseClock} on
 * {@link System#nanoTime}): per phase µs per step, share of the step, and where it has products GFLOP/s and % of the
 * FMA peak if one is given ({@code io.microgpt.bench.FmaPeak} measures it); the step time no phase accounts for; the
 * clock's own cost (the same steps on an engine without a clock, interleaved); and the thread's CPU time over the wall
 * time (below 1: the thread waited for a core, and every phase looks slower). Per shape and batch: a warm-up, then
 * {@code rounds} rounds of each engine in turn. Arguments: {@code shapes batches data [seconds [peak]]}, shapes as
 * {@code layers-heads-embd-block} comma-separated, data {@code names} (the bundled names, one document a line) or a
 * text file (a stream: every document a window filling the block), seconds per round (default 2), peak in GFLOP/s,
 * e.g. {@code java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 -cp benchmarks.jar
 * io.microgpt.simd.StepProfile 1-4-16-16,1-4-64-16 16,1 names 2 117.4}.
 *
 * <p>A program of its own ({@code main}): one thread.
 */
public final class StepProfile {
    private static final int ROUNDS = 5;

    private StepProfile() {
    }

    /** Profiles every shape and batch given. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: StepProfile layers-heads-embd-block[,...] batch[,...] names|FILE [seconds [peakGflops]],"
                    + " e.g. 1-4-16-16,4-4-128-64 16,1 names 2 117.4");
            System.exit(2);
        }
        TrainingData data = args[2].equals("names") ? Dataset.bundledNames() : TextStream.load(Path.of(args[2]));
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        double peak = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        for (String shape : args[0].split(",")) {
            for (String batch : args[1].split(",")) {
                System.out.print(profile(data, config(shape, data), Integer.parseInt(batch), (long) (seconds * 1e9), peak));
                System.out.flush();
            }
        }
    }

    /** {@code layers-heads-embd-block} with the data's vocabulary. */
    static ModelConfig config(String shape, TrainingData data) {
        String[] p = shape.split("-");
        if (p.length != 4) throw new IllegalArgumentException("shape " + shape + ": give layers-heads-embd-block, e.g. 1-4-16-16");
        return new ModelConfig(data.tokenizer().vocabSize(), Integer.parseInt(p[2]), Integer.parseInt(p[1]),
                Integer.parseInt(p[0]), Integer.parseInt(p[3]), ModelConfig.DEFAULT_INIT_STD);
    }

    /** The profile of one shape and batch as a table (rounds of {@code nanos} each; peak 0: no % of peak). */
    static String profile(TrainingData data, ModelConfig config, int batch, long nanos, double peak) {
        PhaseClock clock = PhaseClock.nanoTime();
        Parameters initial = Parameters.initialize(config, new PyRandom(42));
        Trainer profiled = new Trainer(data, config, batch, new SimdEngine(initial, new EngineOptions(1), 0, SimdEngine.Sharing.AUTO, clock));
        Trainer plain = new Trainer(data, config, batch, new SimdEngine(initial, new EngineOptions(1), 0, SimdEngine.Sharing.AUTO));
        try {
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            profiled.run(clock, 2 * nanos);
            plain.run(PhaseClock.OFF, 2 * nanos);
            clock.reset();
            profiled.reset();
            long plainTime = 0;
            int plainSteps = 0;
            long cpu = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long cpu0 = bean.getCurrentThreadCpuTime();
                profiled.run(clock, nanos);
                cpu += bean.getCurrentThreadCpuTime() - cpu0;
                long start = System.nanoTime();
                plainSteps += plain.run(PhaseClock.OFF, nanos);
                plainTime += System.nanoTime() - start;
            }
            return table(clock, config, batch, data, profiled, (double) plainTime / plainSteps, (double) cpu / clock.stepTime(), peak);
        } finally {
            profiled.engine.close();
            plain.engine.close();
        }
    }

    private static String table(PhaseClock clock, ModelConfig c, int batch, TrainingData data, Trainer t, double plainStep,
                                double cpuShare, double peak) {
        int steps = clock.steps();
        double step = (double) clock.stepTime() / steps;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%d-%d-%d-%d (layers-heads-embd-block) batch %d, %s: %d steps, %.1f us/step"
                        + " (%.2f us/sample); without the clock %.1f us/step (clock cost %+.1f%%); thread CPU/wall %.2f%n",
                c.nLayer(), c.nHead(), c.nEmbd(), c.blockSize(), batch, data.source(), steps, step / 1e3, step / 1e3 / batch,
                plainStep / 1e3, 100 * (step / plainStep - 1), cpuShare));
        out.append(String.format(Locale.ROOT, "%-20s %11s %7s %8s %7s%n", "phase", "us/step", "% step", "GFLOP/s", "% peak"));
        double flops = 0;
        long productTime = 0;
        for (Phase p : Phase.ALL) {
            double f = p.flops(c, t.rows, t.attended) / steps;
            double us = (double) clock.time(p) / steps / 1e3;
            out.append(String.format(Locale.ROOT, "%-20s %11.2f %7.1f", p.name().toLowerCase(Locale.ROOT), us, 100 * us * 1e3 / step));
            if (f > 0) {
                double gflops = f / (us * 1e3);
                out.append(String.format(Locale.ROOT, " %8.1f", gflops));
                if (peak > 0) out.append(String.format(Locale.ROOT, " %7.1f", 100 * gflops / peak));
                flops += f;
                productTime += clock.time(p);
            }
            out.append('\n');
        }
        double rest = (double) clock.unaccounted() / steps / 1e3;
        out.append(String.format(Locale.ROOT, "%-20s %11.2f %7.1f%n", "(unaccounted)", rest, 100 * rest * 1e3 / step));
        double productGflops = flops * steps / productTime;
        double stepGflops = flops / step;
        out.append(String.format(Locale.ROOT, "%-20s %11.2f %7.1f %8.1f", "phases with FLOPs", productTime / 1e3 / steps,
                100.0 * productTime / clock.stepTime(), productGflops));
        if (peak > 0) out.append(String.format(Locale.ROOT, " %7.1f", 100 * productGflops / peak));
        out.append(String.format(Locale.ROOT, "%n%-20s %11.2f %7.1f %8.1f", "whole step", step / 1e3, 100.0, stepGflops));
        if (peak > 0) out.append(String.format(Locale.ROOT, " %7.1f", 100 * stepGflops / peak));
        return out.append('\n').toString();
    }

    /** An engine training on the data's batches in order, counting the rows and attended positions it trained. */
    private static final class Trainer {
        final SimdEngine engine;
        private final int blockSize;
        private final TrainingData.Samples samples;
        private final PyRandom rng = new PyRandom(7);
        private final int[][] batch;
        private int step;
        long rows;
        long attended;

        Trainer(TrainingData data, ModelConfig config, int batch, SimdEngine engine) {
            this.engine = engine;
            this.blockSize = config.blockSize();
            this.samples = data.samples(new PyRandom(42), blockSize, 0);
            this.batch = samples.newBatch(batch);
        }

        /** Whole steps until {@code nanos} have passed (at least one), each timed by the clock; returns how many. */
        int run(PhaseClock clock, long nanos) {
            long start = System.nanoTime();
            int n = 0;
            do {
                samples.fill(step, rng, batch);
                for (int[] doc : batch) {
                    long positions = Math.min(blockSize, doc.length - 1);
                    rows += positions;
                    attended += positions * (positions + 1) / 2;
                }
                int t = ++step;
                AdamStep adam = new AdamStep(t, 0.01 / Math.sqrt(t), 0.85, 0.99, 1e-8,
                        1 - Math.pow(0.85, t), 1 - Math.pow(0.99, t));
                clock.startStep();
                engine.trainStep(batch, adam);
                clock.endStep();
                n++;
            } while (System.nanoTime() - start < nanos);
            return n;
        }

        /** Forgets the rows counted. */
        void reset() {
            rows = 0;
            attended = 0;
        }
    }
}
