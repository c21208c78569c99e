package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Random;

/**
 * One layer's {@link CausalAttention}, forward then backward, over documents that fill the block, timed by this
 * thread's CPU time (as {@link ProductTimer}): the fastest of {@code reps} batches of calls (about 0.2 s each)
 * after 1 s of warm-up, as µs per call and GFLOP/s. FLOPs counted: the six causal products (scores and attended
 * values forward; dL/dweights, dL/dq, dL/dk, dL/dv backward), 2 per multiply-add, each n (n + 1) / 2 x head_dim
 * multiply-adds per document and head; the softmax, and the scores recomputed when weights are not kept, are not
 * counted. Arguments: {@code heads-width-block documents kept [reps]}, the first a comma-separated list, e.g.
 * {@code java --add-modules jdk.incubator.vector -XX:PerMethodTrapLimit=1000 -cp benchmarks.jar
 * io.microgpt.simd.AttentionTimer
 * 6-384-256,4-128-64 12 true}.
 *
 * <p>A program of its own ({@code main}): it shares nothing between threads.
 */
public final class AttentionTimer {
    private AttentionTimer() {
    }

    /** Times every shape given. */
    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: AttentionTimer heads-width-block[,...] documents kept [reps], e.g. 6-384-256,4-128-64 12 true");
            System.exit(2);
        }
        int documents = Integer.parseInt(args[1]);
        boolean keep = Boolean.parseBoolean(args[2]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (String shape : args[0].split(",")) {
            String[] s = shape.split("-");
            int heads = Integer.parseInt(s[0]);
            int nEmbd = Integer.parseInt(s[1]);
            int block = Integer.parseInt(s[2]);
            ModelConfig config = new ModelConfig(27, nEmbd, heads, 1, block, ModelConfig.DEFAULT_INIT_STD);
            BatchBuffers b = new BatchBuffers(config, documents * block, keep);
            int[][] docs = new int[documents][block + 1];
            int rows = b.arrange(docs, block);
            BatchBuffers.LayerActivations a = b.layers[0];
            Random random = new Random(1);
            for (Matrix m : new Matrix[] {a.q, a.k, a.v, b.gradAttended}) {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < nEmbd; c++) m.data()[m.row(r) + c] = (float) random.nextGaussian();
                }
            }
            CausalAttention attention = new CausalAttention(config);
            AttentionScratch scratch = new AttentionScratch(config);
            long warmEnd = bean.getCurrentThreadCpuTime() + 1_000_000_000L;
            int calls = 0;
            while (bean.getCurrentThreadCpuTime() < warmEnd) {
                attention.forward(b, a, 0, rows, scratch);
                attention.backward(b, a, 0, rows, scratch);
                calls++;
            }
            int batch = Math.max(1, calls / 5);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long start = bean.getCurrentThreadCpuTime();
                for (int i = 0; i < batch; i++) {
                    attention.forward(b, a, 0, rows, scratch);
                    attention.backward(b, a, 0, rows, scratch);
                }
                best = Math.min(best, (bean.getCurrentThreadCpuTime() - start) / 1e3 / batch);
            }
            double flops = 6 * 2.0 * documents * heads * (block * (block + 1) / 2.0) * config.headDim();
            System.out.printf(Locale.ROOT, "attention %-10s documents %3d kept %-5s %10.1f us %7.1f GFLOP/s%n", shape, documents,
                    keep, best, flops / best / 1e3);
        }
    }
}
