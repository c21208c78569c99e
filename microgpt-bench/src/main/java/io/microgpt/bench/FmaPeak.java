package io.microgpt.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FP32 fused multiply-add peak of one core, as the Vector API reaches it: the yardstick for the training
 * step's achieved GFLOP/s.
 *
 * <p>How it measures: {@value #CHAINS} independent accumulators of the preferred species, each updated as
 * {@code acc = acc * x + y} (one {@code fma}) per iteration, so that enough fmas are in flight to cover the
 * fma latency on every pipe (Zen 5: 4 cycles, 2 pipes, so 8 chains suffice; 12 leave headroom), and nothing but
 * fmas and the loop counter in the loop. An fma counts as 2 FLOPs per lane: {@code 2 * lanes * CHAINS} FLOPs
 * per iteration. With {@code x < 1} every accumulator converges to {@code y / (1 - x)}: no overflow, no
 * subnormals. The result is returned so the JIT cannot drop the loop. {@code java --add-modules
 * jdk.incubator.vector -cp benchmarks.jar io.microgpt.bench.FmaPeak} prints it; {@link FmaPeakBenchmark} is
 * the same loop under JMH.
 *
 * <p>Thread-safe: it keeps no state, and each call measures on the calling thread.
 */
public final class FmaPeak {
    /** The species measured: the widest this CPU runs natively. */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulator chains. */
    static final int CHAINS = 12;
    /** Where the timed runs' results go, so that the JIT cannot drop them. */
    private static volatile float sink;

    private FmaPeak() {
    }

    /** FLOPs one call of {@link #run(int)} does. */
    static double flops(int iterations) {
        return 2.0 * SPECIES.length() * CHAINS * iterations;
    }

    /** {@code iterations} rounds of one fma on each of the {@value #CHAINS} chains; returns the sum of all lanes. */
    static float run(int iterations) {
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999f);
        FloatVector y = FloatVector.broadcast(SPECIES, 0.001f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.0f), a1 = FloatVector.broadcast(SPECIES, 0.1f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 0.2f), a3 = FloatVector.broadcast(SPECIES, 0.3f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 0.4f), a5 = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 0.6f), a7 = FloatVector.broadcast(SPECIES, 0.7f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 0.8f), a9 = FloatVector.broadcast(SPECIES, 0.9f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 1.0f), a11 = FloatVector.broadcast(SPECIES, 1.1f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The best GFLOP/s of {@code repetitions} timed runs of about {@code millis} ms each, after a warm-up of the
     * same length (the best, not the mean: on a shared core, interruptions only ever make a run slower).
     */
    static double measureGflops(int millis, int repetitions) {
        int iterations = 1 << 16;
        float sum = 0;
        long warmupEnd = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < warmupEnd) sum += run(iterations);
        double best = 0;
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            long calls = 0;
            long now;
            do {
                sum += run(iterations);
                calls++;
                now = System.nanoTime();
            } while (now - start < millis * 1_000_000L);
            best = Math.max(best, calls * flops(iterations) / (now - start));
        }
        sink = sum;
        return best;
    }

    /** Prints the species and the peak in GFLOP/s (best of 5 runs of 0.5 s, after 0.5 s of warm-up). */
    public static void main(String[] args) {
        double gflops = measureGflops(500, 5);
        System.out.printf(java.util.Locale.ROOT, "species: %s; fma chains: %d; peak: %.1f GFLOP/s (one thread)%n", SPECIES, CHAINS, gflops);
    }
}
