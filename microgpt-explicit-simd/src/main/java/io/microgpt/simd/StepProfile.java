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
 * the thread's CPU time or the wall clock): per phase µs per step, share of the step, and where it has FLOPs GFLOP/s and
 * % of the FMA peak if one is given ({@code io.microgpt.bench.FmaPeak} measures it); the step time no phase accounts
 * for; the clock's own cost (CPU time per step against an engine without a clock, interleaved); and the thread's CPU
 * time over the wall time (below 1: the thread waited for a core). Per shape and batch: a warm-up, then
 * {@value #ROUNDS} rounds of each engine in turn. Arguments: {@code shapes batches data [seconds [peak [cpu|wall]]]},
 * shapes as {@code layers-heads-embd-block} comma-separated, data {@code names} (the bundled names, one document a
 * line) or a text file (a stream: every document a window filling the block), seconds per round (default 2), peak in
 * GFLOP/s (0: none), the clock (default cpu), e.g. {@code java --add-modules jdk.incubator.vector
 * -XX:PerMethodTrapLimit=1000 -cp benchmarks.jar io.microgpt.simd.StepProfile 1-4-16-16,1-4-64-16 16,1 names 2 117.4}.
 *
 * <p>A program of its own ({@code main}): one thread.
 */
public final class StepProfile {
    private static final int ROUNDS = 5;
    /** On the wall clock, a step counts if it took at most this much (or 2%) more wall time than CPU time. */
    private static final long UNDISTURBED_SLACK = 5_000;

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
        boolean cpu = args.length <= 5 || args[5].equals("cpu");
        if (args.length > 5 && !cpu && !args[5].equals("wall")) throw new IllegalArgumentException("clock " + args[5] + ": give cpu or wall");
        for (String shape : args[0].split(",")) {
            for (String batch : args[1].split(",")) {
                System.out.print(profile(data, config(shape, data), Integer.parseInt(batch), (long) (seconds * 1e9), peak, cpu));
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
    static String profile(TrainingData data, ModelConfig config, int batch, long nanos, double peak, boolean cpuClock) {
        PhaseClock clock = cpuClock ? PhaseClock.threadCpuTime() : PhaseClock.nanoTime();
        Parameters initial = Parameters.initialize(config, new PyRandom(42));
        Trainer profiled = new Trainer(data, config, batch, new SimdEngine(initial, new EngineOptions(1), 0, SimdEngine.Sharing.AUTO, clock), !cpuClock);
        Trainer plain = new Trainer(data, config, batch, new SimdEngine(initial, new EngineOptions(1), 0, SimdEngine.Sharing.AUTO), false);
        try {
            ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            profiled.run(clock, 2 * nanos);
            plain.run(PhaseClock.OFF, 2 * nanos);
            clock.reset();
            profiled.reset();
            // [engine][wall, cpu] over the rounds
            long[][] time = new long[2][2];
            int[] steps = new int[2];
            for (int r = 0; r < ROUNDS; r++) {
                for (int e = 0; e < 2; e++) {
                    long wall = System.nanoTime();
                    long cpu = bean.getCurrentThreadCpuTime();
                    steps[e] += e == 0 ? profiled.run(clock, nanos) : plain.run(PhaseClock.OFF, nanos);
                    time[e][1] += bean.getCurrentThreadCpuTime() - cpu;
                    time[e][0] += System.nanoTime() - wall;
                }
            }
            double cost = ((double) time[0][1] / steps[0]) / ((double) time[1][1] / steps[1]) - 1;
            String how = String.format(Locale.ROOT, "%s; its cost %+.1f%% of a step's CPU time (against %.1f us/step"
                            + " without it); thread CPU/wall %.2f", cpuClock ? "thread CPU clock, every step"
                            : String.format(Locale.ROOT, "wall clock, only the steps that kept their core (%d of %d dropped)",
                            profiled.dropped, steps[0]), 100 * cost, time[1][1] / 1e3 / steps[1], (double) time[0][1] / time[0][0]);
            return table(clock, config, batch, data, profiled, how, clock.readingCost(50, 1000), peak);
        } finally {
            profiled.engine.close();
            plain.engine.close();
        }
    }

    /**
     * The table: each phase's time net of its clock readings (one per mark, at {@code reading} each), the step's net of
     * all of them, so that the phases and the unaccounted rest add up to the step.
     */
    private static String table(PhaseClock clock, ModelConfig c, int batch, TrainingData data, Trainer t, String how,
                                double reading, double peak) {
        int steps = clock.steps();
        long marks = 0;
        for (Phase p : Phase.ALL) marks += clock.marks(p);
        // per step, in µs
        double step = (clock.stepTime() - (marks + steps) * reading) / steps / 1e3;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%d-%d-%d-%d (layers-heads-embd-block) batch %d, %s: %d steps, %.1f us/step"
                        + " (%.2f us/sample) net of the clock's %.0f ns per reading (%.1f readings a step)%n%s%n",
                c.nLayer(), c.nHead(), c.nEmbd(), c.blockSize(), batch, data.source(), steps, step, step / batch, reading,
                (double) marks / steps + 1, how));
        out.append(String.format(Locale.ROOT, "%-20s %11s %7s %8s %7s%n", "phase", "us/step", "% step", "GFLOP/s", "% peak"));
        double flops = 0;
        double flopTime = 0;
        double accounted = 0;
        for (Phase p : Phase.ALL) {
            double f = p.flops(c, t.rows, t.attended) / steps;
            double us = (clock.time(p) - clock.marks(p) * reading) / steps / 1e3;
            accounted += us;
            out.append(String.format(Locale.ROOT, "%-20s %11.2f %7.1f", p.name().toLowerCase(Locale.ROOT), us, 100 * us / step));
            if (f > 0) {
                out.append(String.format(Locale.ROOT, " %8.1f", f / us / 1e3));
                if (peak > 0) out.append(String.format(Locale.ROOT, " %7.1f", 100 * f / us / 1e3 / peak));
                flops += f;
                flopTime += us;
            }
            out.append('\n');
        }
        double rest = step - accounted;
        out.append(String.format(Locale.ROOT, "%-20s %11.2f %7.1f%n", "(unaccounted)", rest, 100 * rest / step));
        out.append(row("phases with FLOPs", flopTime, step, flops, peak));
        out.append(row("whole step", step, step, flops, peak));
        return out.toString();
    }

    private static String row(String name, double us, double step, double flops, double peak) {
        String line = String.format(Locale.ROOT, "%-20s %11.2f %7.1f %8.1f", name, us, 100 * us / step, flops / us / 1e3);
        if (peak > 0) line += String.format(Locale.ROOT, " %7.1f", 100 * flops / us / 1e3 / peak);
        return line + "\n";
    }

    /** An engine training on the data's batches in order, counting the rows and attended positions of the steps kept. */
    private static final class Trainer {
        final SimdEngine engine;
        private final int blockSize;
        private final TrainingData.Samples samples;
        private final PyRandom rng = new PyRandom(7);
        private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        /** Whether the clock keeps only the steps during which the thread kept its core. */
        private final boolean undisturbedOnly;
        /** Steps the clock dropped. */
        int dropped;
        private final int[][] batch;
        private int step;
        long rows;
        long attended;

        Trainer(TrainingData data, ModelConfig config, int batch, SimdEngine engine, boolean undisturbedOnly) {
            this.engine = engine;
            this.undisturbedOnly = undisturbedOnly;
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
                int t = ++step;
                AdamStep adam = new AdamStep(t, 0.01 / Math.sqrt(t), 0.85, 0.99, 1e-8,
                        1 - Math.pow(0.85, t), 1 - Math.pow(0.99, t));
                long cpu = bean.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                clock.startStep();
                engine.trainStep(batch, adam);
                clock.endStep();
                wall = System.nanoTime() - wall;
                cpu = bean.getCurrentThreadCpuTime() - cpu;
                if (undisturbedOnly && wall > cpu + Math.max(UNDISTURBED_SLACK, cpu / 50)) {
                    clock.dropStep();
                    dropped++;
                } else {
                    count(batch);
                }
                n++;
            } while (System.nanoTime() - start < nanos);
            return n;
        }

        /** Counts the rows and attended positions of a batch the clock kept. */
        private void count(int[][] documents) {
            for (int[] doc : documents) {
                long positions = Math.min(blockSize, doc.length - 1);
                rows += positions;
                attended += positions * (positions + 1) / 2;
            }
        }

        /** Forgets the rows counted. */
        void reset() {
            dropped = 0;
            rows = 0;
            attended = 0;
        }
    }
}
