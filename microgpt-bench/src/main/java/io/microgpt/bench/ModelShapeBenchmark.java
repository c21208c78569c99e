package io.microgpt.bench;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingRun;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training speed beyond the reference: µs per training sample at the larger shapes people train once they
 * leave the names, at batch {@value #BATCH}, on the long-document set ({@link LongDocuments}, so every
 * position of the block is trained). A shape is {@code layers-heads-width-block}, e.g. {@code 4-4-128-64}:
 * nanoGPT's CPU recipe shape; {@code 6-6-384-256}: its GPU recipe's model. One invocation is one step of
 * {@value #BATCH} documents, declared as {@value #BATCH} operations. A step at {@code 6-6-384-256} takes
 * seconds, so the default cell (3 x 2 s warm-up, 3 x 4 s measurement, simd on one thread) runs only a few
 * steps; the scalar backend is left out by default (hours per cell at that shape).
 *
 * <p>A JMH state of thread scope: each benchmark thread has its own instance, none is shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xss8m", "-XX:PerMethodTrapLimit=1000"})
public class ModelShapeBenchmark {
    /** Documents per step, as in nanoGPT's recipes. */
    public static final int BATCH = 12;

    /** The backend, by name. */
    @Param({"simd"})
    public String backend;

    /** {@code layers-heads-width-block}. */
    @Param({"4-4-128-64", "6-6-384-256"})
    public String shape;

    /** Worker threads for backends that use them (0: the backend decides). */
    @Param({"1"})
    public int threads;

    /** The documents: {@code long-names} or {@code names}. */
    @Param({BenchmarkRuns.LONG_NAMES})
    public String data;

    private TrainingRun run;

    /** Opens the run. */
    @Setup(Level.Trial)
    public void open() {
        int[] s = parseShape(shape);
        run = BenchmarkRuns.open(backend, data, s[2], s[1], s[0], s[3], BATCH, threads);
    }

    /** Trains one step of {@value #BATCH} documents; returns its loss. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double train() {
        return run.step().loss();
    }

    /** Prints the engine's working set (in the JMH log), then closes the engine. */
    @TearDown(Level.Trial)
    public void close() {
        if (run == null) return;
        System.out.println(BenchmarkRuns.workingSetLine(run));
        run.close();
    }

    /** {@code layers-heads-width-block} as {layers, heads, width, block}. */
    static int[] parseShape(String shape) {
        String[] parts = shape.split("-");
        int[] values = new int[4];
        try {
            if (parts.length != 4) throw new NumberFormatException();
            for (int i = 0; i < 4; i++) values[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new MicrogptException("shape '" + shape + "' is not layers-heads-width-block, e.g. 4-4-128-64");
        }
        return values;
    }

    /** The run being trained (for tests). */
    TrainingRun run() {
        return run;
    }
}
