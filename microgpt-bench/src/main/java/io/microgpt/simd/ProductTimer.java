package io.microgpt.simd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * {@link ProductBenchmark}'s calls timed by this thread's CPU time, not the wall clock, for a machine shared with
 * other work, where the wall clock also counts the time the thread waited for a core. Per cell: the fastest of
 * {@code reps} timed batches of calls (about 0.2 s each) after 1 s of warm-up, as µs per call and GFLOP/s.
 * Arguments: {@code kernel rows shape [reps]}, each of the first three a comma-separated list, e.g.
 * {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar io.microgpt.simd.ProductTimer
 * multiply,outer 768 384x1536,1536x384}.
 */
public final class ProductTimer {
    private ProductTimer() {
    }

    /** Times every cell of the lists given. */
    public static void main(String[] args) {
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (String kernel : args[0].split(",")) {
            for (String rows : args[1].split(",")) {
                for (String shape : args[2].split(",")) {
                    ProductBenchmark cell = new ProductBenchmark();
                    cell.kernel = kernel;
                    cell.rows = Integer.parseInt(rows);
                    cell.shape = shape;
                    cell.open();
                    long warmEnd = bean.getCurrentThreadCpuTime() + 1_000_000_000L;
                    int calls = 0;
                    while (bean.getCurrentThreadCpuTime() < warmEnd) {
                        cell.call();
                        calls++;
                    }
                    int batch = Math.max(1, calls / 5);
                    double best = Double.MAX_VALUE;
                    for (int r = 0; r < reps; r++) {
                        long start = bean.getCurrentThreadCpuTime();
                        for (int i = 0; i < batch; i++) cell.call();
                        best = Math.min(best, (bean.getCurrentThreadCpuTime() - start) / 1e3 / batch);
                    }
                    String[] dims = shape.split("x");
                    double flops = 2.0 * cell.rows * Integer.parseInt(dims[0]) * VectorKernels.padded(Integer.parseInt(dims[1]));
                    System.out.printf(Locale.ROOT, "%-9s rows %5s %-9s %10.1f us %7.1f GFLOP/s%n", kernel, rows, shape, best,
                            flops / best / 1e3);
                }
            }
        }
    }
}
