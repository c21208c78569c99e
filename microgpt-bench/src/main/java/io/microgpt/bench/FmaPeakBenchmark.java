package io.microgpt.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's FP32 FMA peak under JMH: {@link FmaPeak}'s loop, one thread. Read the secondary result
 * {@code fma:flops}: FLOPs per nanosecond, i.e. GFLOP/s, at this JVM's preferred species (the primary score
 * counts invocations).
 *
 * <p>A JMH state of thread scope: each benchmark thread has its own instance, none is shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:PerMethodTrapLimit=1000"})
public class FmaPeakBenchmark {
    /** Loop iterations per invocation. */
    static final int ITERATIONS = 1 << 14;

    /** FLOPs done, reported per nanosecond as the {@code flops} result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** FLOPs in this iteration. */
        public long flops;

        /** Starts each iteration's count at zero. */
        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    /** One call of the fma loop. */
    @Benchmark
    public float fma(Flops counter) {
        counter.flops += (long) FmaPeak.flops(ITERATIONS);
        return FmaPeak.run(ITERATIONS);
    }
}
