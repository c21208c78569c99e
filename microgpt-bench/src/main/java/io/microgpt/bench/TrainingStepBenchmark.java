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
 * Training speed: µs per training sample (one document: forward, backward and its share of the Adam update),
 * for each backend, shape, batch size and thread count, on the bundled names (or the long-document set made
 * from them) in the reference's shuffled order, cycling.
 *
 * <p>The defaults measure the reference's shape at four widths; the shapes beyond it are parameters:
 * {@code -p nLayer=1,4 -p blockSize=16,64 -p nHead=4 -p data=long-names} (at a block above 16 the names,
 * at most 16 characters, leave most positions unused: measure those on {@code long-names}). The recipe shapes
 * at batch 12 are {@link ModelShapeBenchmark}'s.
 *
 * <p>One invocation trains {@value #SAMPLES_PER_INVOCATION} samples, as {@code 16 / batch} steps of
 * {@code batch} documents, and JMH divides its time by that count, so the score is µs per sample whatever the
 * batch (which must therefore divide {@value #SAMPLES_PER_INVOCATION}). Iterations are time-bound, so the slow
 * cells (the scalar backend at n_embd 128) just run fewer invocations. The warm-up is 10 s
 * because the Vector API is slow until C2 has compiled its kernels, which can take several seconds on a busy
 * machine; a cell takes about 22 s in all.
 *
 * <p>A backend that cannot run in this JVM fails its cells in setup with a message naming those that can;
 * pass {@code -p backend=scalar} (or see {@link AvailableBackends}) to skip it.
 *
 * <p>At the end of each cell the log shows the engine's working set for that shape ({@code working set: ...}).
 *
 * <p>Allocation per sample: add {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per operation,
 * an operation being one sample).
 *
 * <p>A JMH state of thread scope: each benchmark thread has its own instance, none is shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xss8m", "-XX:PerMethodTrapLimit=1000"})
public class TrainingStepBenchmark {
    /** Documents trained per benchmark invocation, whatever the batch size. */
    public static final int SAMPLES_PER_INVOCATION = 16;

    /** The backend, by name. */
    @Param({"scalar", "simd"})
    public String backend;

    /** Embedding width. */
    @Param({"16", "32", "64", "128"})
    public int nEmbd;

    /** Transformer blocks (the reference: 1). */
    @Param({"1"})
    public int nLayer;

    /** Attention heads; must divide {@code nEmbd} (the reference: 4). */
    @Param({"4"})
    public int nHead;

    /** Context length (the reference: 16). */
    @Param({"16"})
    public int blockSize;

    /** The documents: {@code names} (the reference's) or {@code long-names} (lines of 300 characters or more). */
    @Param({BenchmarkRuns.NAMES})
    public String data;

    /** Documents per step; must divide {@value #SAMPLES_PER_INVOCATION}. */
    @Param({"1", "16"})
    public int batch;

    /** Worker threads for backends that use them (0: the backend decides); the default measures one core. */
    @Param({"1"})
    public int threads;

    private TrainingRun run;
    private int stepsPerInvocation;

    /** Opens the run: seeds, shuffles, initialises the weights, opens the engine. */
    @Setup(Level.Trial)
    public void open() {
        if (batch <= 0 || SAMPLES_PER_INVOCATION % batch != 0) {
            throw new MicrogptException("batch " + batch + " does not divide " + SAMPLES_PER_INVOCATION
                    + ", the samples each invocation trains; use 1, 2, 4, 8 or 16");
        }
        stepsPerInvocation = SAMPLES_PER_INVOCATION / batch;
        run = BenchmarkRuns.open(backend, data, nEmbd, nHead, nLayer, blockSize, batch, threads);

    }

    /** Trains {@value #SAMPLES_PER_INVOCATION} samples; returns the sum of the step losses (kept from dead-code elimination). */
    @Benchmark
    @OperationsPerInvocation(SAMPLES_PER_INVOCATION)
    public double train() {
        double losses = 0;
        for (int i = 0; i < stepsPerInvocation; i++) losses += run.step().loss();
        return losses;
    }

    /** Prints the engine's working set (in the JMH log), then closes the engine. */
    @TearDown(Level.Trial)
    public void close() {
        if (run == null) return;
        System.out.println(BenchmarkRuns.workingSetLine(run));
        run.close();
    }

    /** The run being trained (for tests). */
    TrainingRun run() {
        return run;
    }
}
