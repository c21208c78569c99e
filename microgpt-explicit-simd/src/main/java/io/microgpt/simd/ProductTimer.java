package io.microgpt.simd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A command-line timer of the matrix products alone ({@link ProductCell}), one thread, timed by this thread's CPU
 * time, not the wall clock, for a machine shared with other work, where the wall clock also counts the time the
 * thread waited for a core. Per cell: the fastest of {@code reps} timed batches of calls (about 0.2 s each) after
 * 1 s of warm-up, as µs per call and GFLOP/s (2 FLOPs per multiply-add, width padded to whole vectors; compare with
 * {@code FmaPeak}). Arguments: {@code kernel rows shape [reps]}, each of the first three a comma-separated list,
 * e.g. {@code java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 -cp benchmarks.jar
 * io.microgpt.simd.ProductTimer multiply,outer 768 384x1536,1536x384} (any class path holding this module works:
 * benchmarks.jar or microgpt-explicit-simd's jar beside microgpt-core's). Rows: 3072 is a 12 x 256 batch, 768 one
 * of four threads' rows, 256 one document.
 *
 * <p>A program of its own ({@code main}): it shares nothing between threads.
 */
public final class ProductTimer {
    private ProductTimer() {
    }

    /** Times every cell of the lists given. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: ProductTimer kernel[,kernel...] rows[,rows...] shape[,shape...] [reps], e.g. multiply,outer 768 384x1536,1536x384");
            System.exit(2);
        }
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (String kernel : args[0].split(",")) {
            for (String rows : args[1].split(",")) {
                for (String shape : args[2].split(",")) {
                    ProductCell cell = new ProductCell(kernel, Integer.parseInt(rows), shape);
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
                    System.out.printf(Locale.ROOT, "%-9s rows %5s %-9s %10.1f us %7.1f GFLOP/s%n", kernel, rows, shape, best,
                            cell.flops() / best / 1e3);
                }
            }
        }
    }
}
