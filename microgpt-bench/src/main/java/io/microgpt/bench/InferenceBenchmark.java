package io.microgpt.bench;

import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.sampling.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sampling speed: names per second (the score) and tokens per second (the secondary {@code tokens} result),
 * sampling as the reference does (temperature 0.5, from BOS until BOS or the block size) with {@link Sampler}
 * over the engine's {@link io.microgpt.core.spi.LogitStream}, from a model trained {@value #TRAINING_STEPS} steps
 * so the names have their usual lengths. A token is one position fed to the model.
 *
 * <p>A JMH state of thread scope: each benchmark thread has its own instance, none is shared.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xss8m", "-XX:PerMethodTrapLimit=1000"})
public class InferenceBenchmark {
    /** Training steps before sampling, at the backend's default batch. */
    public static final int TRAINING_STEPS = 100;
    /** The reference's sampling temperature. */
    public static final double TEMPERATURE = 0.5;

    /** The backend, by name. */
    @Param({"scalar", "simd"})
    public String backend;

    /** Embedding width (4 heads, 1 layer, block size 16). */
    @Param({"16", "32", "64", "128"})
    public int nEmbd;

    private TrainingRun run;
    private Sampler sampler;
    private PyRandom rng;
    private int blockSize;

    /** Tokens fed to the model, reported by JMH per second as the {@code tokens} result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Tokens {
        /** Positions fed in this iteration. */
        public long tokens;

        /** Starts each iteration's count at zero. */
        @Setup(Level.Iteration)
        public void reset() {
            tokens = 0;
        }
    }

    /** Opens and briefly trains the model, then makes the sampler. */
    @Setup(Level.Trial)
    public void open() {
        run = BenchmarkRuns.open(backend, nEmbd);
        for (int i = 0; i < TRAINING_STEPS; i++) run.step();
        sampler = new Sampler(run.engine(), run.tokenizer());
        rng = new PyRandom(42);
        blockSize = run.modelConfig().blockSize();
    }

    /** Samples one name and counts the positions it fed: its characters plus the closing BOS, at most the block. */
    @Benchmark
    public String sample(Tokens counter) {
        String name = sampler.sample(rng, TEMPERATURE);
        counter.tokens += Math.min(name.codePointCount(0, name.length()) + 1, blockSize);
        return name;
    }

    /** Closes the engine. */
    @TearDown(Level.Trial)
    public void close() {
        if (run != null) run.close();
    }
}
