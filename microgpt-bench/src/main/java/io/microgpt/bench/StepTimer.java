package io.microgpt.bench;

import io.microgpt.core.TrainingRun;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Training steps timed by the calling thread's CPU time, for a machine shared with other work, where the wall clock
 * (and so JMH) also counts the time the thread waited for a core: one thread only (the engine runs a one-thread step
 * on the caller). Prints first the FMA peak by the same clock ({@link FmaPeak}'s loop, the best of 7 batches), then
 * per shape the fastest and the mean step of {@code steps} timed steps after {@code warmup} steps, in µs per sample.
 * Arguments: {@code shapes batch data warmup steps}, shapes as in {@link ModelShapeBenchmark} (comma-separated), e.g.
 * {@code java --add-modules jdk.incubator.vector -Xss8m -XX:PerMethodTrapLimit=1000 -cp benchmarks.jar
 * io.microgpt.bench.StepTimer
 * 6-6-384-256 12 long-names 2 3}.
 *
 * <p>A program of its own ({@code main}): it shares nothing between threads.
 */
public final class StepTimer {
    private static volatile float sink;

    private StepTimer() {
    }

    /** Times the shapes given. */
    public static void main(String[] args) {
        String[] shapes = args[0].split(",");
        int batch = Integer.parseInt(args[1]);
        String data = args[2];
        int warmup = Integer.parseInt(args[3]);
        int steps = Integer.parseInt(args[4]);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "fma peak by CPU time: %.1f GFLOP/s%n", peak(bean));
        for (String shape : shapes) {
            int[] s = ModelShapeBenchmark.parseShape(shape);
            TrainingRun run = BenchmarkRuns.open("simd", data, s[2], s[1], s[0], s[3], batch, 1);
            try {
                for (int i = 0; i < warmup; i++) run.step();
                double best = Double.MAX_VALUE;
                double sum = 0;
                for (int i = 0; i < steps; i++) {
                    long start = bean.getCurrentThreadCpuTime();
                    run.step();
                    double us = (bean.getCurrentThreadCpuTime() - start) / 1e3 / batch;
                    best = Math.min(best, us);
                    sum += us;
                }
                System.out.printf(Locale.ROOT, "%s batch %d %s: fastest %.1f, mean %.1f us/sample (CPU time)%n", shape, batch,
                        data, best, sum / steps);
            } finally {
                run.close();
            }
        }
    }

    private static double peak(ThreadMXBean bean) {
        int iterations = 1 << 16;
        float sum = 0;
        for (int i = 0; i < 2000; i++) sum += FmaPeak.run(iterations);
        double best = 0;
        for (int r = 0; r < 7; r++) {
            long start = bean.getCurrentThreadCpuTime();
            for (int i = 0; i < 500; i++) sum += FmaPeak.run(iterations);
            best = Math.max(best, 500 * FmaPeak.flops(iterations) / (bean.getCurrentThreadCpuTime() - start));
        }
        sink = sum;   // so that the JIT keeps the loops
        return best;
    }
}
