package io.microgpt.simd;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * How long a {@link WorkerPool}'s {@code run} of a trivial task takes (the cost of a phase's barrier, nothing else),
 * by the wall clock, after the caller has been busy for a given gap (the time a worker waits between phases):
 * median, 90th and 99th percentile of many runs. Arguments: {@code threads [gaps in µs, comma-separated]}, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar io.microgpt.simd.WorkerPoolTimer 2 0,20,100,500,2000}.
 */
public final class WorkerPoolTimer {
    private static volatile long sink;

    private WorkerPoolTimer() {
    }

    /** Times the pool at every gap given. */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: WorkerPoolTimer threads [gap-us,gap-us,...], e.g. 2 0,20,100,500,2000");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        String[] gaps = (args.length > 1 ? args[1] : "0,20,100,500,2000").split(",");
        IntConsumer task = t -> sink += t;
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (String g : gaps) {
                long gapNanos = Long.parseLong(g) * 1000;
                int runs = gapNanos >= 500_000 ? 500 : 3000;
                long[] nanos = new long[runs];
                for (int i = -runs / 10; i < runs; i++) {   // the first tenth warms up
                    long end = System.nanoTime() + gapNanos;
                    while (System.nanoTime() < end) Thread.onSpinWait();
                    long start = System.nanoTime();
                    pool.run(task);
                    if (i >= 0) nanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "%d threads, gap %5s us: run() median %7.1f us, p90 %8.1f, p99 %8.1f%n", threads, g,
                        nanos[runs / 2] / 1e3, nanos[runs * 9 / 10] / 1e3, nanos[runs * 99 / 100] / 1e3);
            }
        }
    }
}
