package io.microgpt.simd;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call of a {@link VectorKernels} matrix product at the shapes of the model's linear layers, one thread:
 * µs per call. Its GFLOP/s are {@code 2 * rows * depth * width / (1000 * µs)} (2 FLOPs per multiply-add, width
 * padded to whole vectors), to compare with {@code FmaPeakBenchmark}. {@code kernel}: {@code multiply} (out = a b, a [rows x depth], b [depth x
 * width]: the forward pass and the backward by the master weights), {@code outer} (dw = dy^T x, dy [rows x
 * outputs], x [rows x width]: the weight gradients, written) or {@code outer-add} (the same added into dw, as a
 * second shard does). {@code shape}: {@code depth x width} for multiply, {@code outputs x width} for the outer
 * products; at n_embd 384: 384x384 (q, k, v, wo), 384x1536 and 1536x384 (fc1 and fc2, both directions); at 128:
 * 128x128, 128x512, 512x128. {@code rows}: 3072 (a 12 x 256 batch), 768 (one of four shards), 256 (one
 * document). Lives in the simd package because the kernels are package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=1000"})
public class ProductBenchmark {
    /** {@code multiply}, {@code outer} or {@code outer-add}. */
    @Param({"multiply", "outer", "outer-add"})
    public String kernel;

    /** Rows of a (multiply) or of dy and x (outer products). */
    @Param({"3072", "768", "256"})
    public int rows;

    /** {@code depth x width} (multiply) or {@code outputs x width} (outer products). */
    @Param({"384x1536", "1536x384", "384x384", "128x512", "512x128", "128x128"})
    public String shape;

    Matrix left;
    Matrix right;
    Matrix out;
    int depth;
    private int width;

    /** Random operands of the shape. */
    @Setup(Level.Trial)
    public void open() {
        String[] parts = shape.split("x");
        depth = Integer.parseInt(parts[0]);
        width = VectorKernels.padded(Integer.parseInt(parts[1]));
        Random random = new Random(1);
        if (kernel.equals("multiply")) {
            left = random(random, rows, VectorKernels.padded(depth));
            right = random(random, depth, width);
            out = random(random, rows, width);
        } else {
            left = random(random, rows, VectorKernels.padded(depth));
            right = random(random, rows, width);
            out = random(random, depth, width);
        }
    }

    private static Matrix random(Random random, int rows, int stride) {
        float[] data = new float[rows * stride];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * 0.1f;
        return new Matrix(data, 0, stride);
    }

    /** One product. */
    @Benchmark
    public float call() {
        switch (kernel) {
            case "multiply" -> VectorKernels.multiply(left, 0, rows, depth, right, width, out, VectorKernels.Epilogue.STORE, null);
            case "outer" -> VectorKernels.outerProducts(left, 0, rows, depth, right, width, out, false);
            case "outer-add" -> VectorKernels.outerProducts(left, 0, rows, depth, right, width, out, true);
            default -> throw new IllegalArgumentException("kernel " + kernel + ": use multiply, outer or outer-add");
        }
        return out.data()[0];
    }
}
