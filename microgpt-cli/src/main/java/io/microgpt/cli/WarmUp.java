package io.microgpt.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides when a benchmark's warm-up is over, from the chunks of steps it has timed: when at least
 * {@link #MIN_SECONDS} have passed (for every backend: the JIT needs that long to reach the hot loops, and
 * longer on a busy machine), the last {@link #STABLE_CHUNKS} chunks' rates lie within {@link #TOLERANCE} of
 * their median, and the JIT compiled for less than 1% of the last chunk's time. A warm-up that reaches its
 * limit first is over too, but not {@link #stable()}: its figures are not to be trusted.
 */
final class WarmUp {
    /** The shortest warm-up of any backend, in seconds. */
    static final double MIN_SECONDS = 1.0;
    /** Chunks whose rates must agree. */
    static final int STABLE_CHUNKS = 3;
    /** How far (relative) each of those chunks may lie from their median. */
    static final double TOLERANCE = 0.05;
    /** Share of a chunk the JIT may spend compiling in a stable chunk. */
    static final double JIT_SHARE = 0.01;

    private final double minSeconds;
    private final double maxSeconds;
    private final List<Double> rates = new ArrayList<>();
    private double seconds;
    private boolean stable;

    /**
     * @param minSeconds the shortest warm-up
     * @param maxSeconds the longest: a warm-up still unstable by then ends unstable
     */
    WarmUp(double minSeconds, double maxSeconds) {
        this.minSeconds = minSeconds;
        this.maxSeconds = maxSeconds;
    }

    /**
     * Takes one timed chunk; returns true when the warm-up is over.
     *
     * @param microsPerSample the chunk's µs per sample
     * @param chunkSeconds    its wall time
     * @param jitSeconds      time the JIT spent compiling during it (0 when unknown)
     */
    boolean add(double microsPerSample, double chunkSeconds, double jitSeconds) {
        rates.add(microsPerSample);
        seconds += chunkSeconds;
        stable = seconds >= minSeconds && ratesAgree() && jitSeconds < JIT_SHARE * chunkSeconds;
        return stable || seconds >= maxSeconds;
    }

    private boolean ratesAgree() {
        int n = rates.size();
        if (n < STABLE_CHUNKS) return false;
        double[] last = new double[STABLE_CHUNKS];
        for (int i = 0; i < STABLE_CHUNKS; i++) last[i] = rates.get(n - STABLE_CHUNKS + i);
        double[] sorted = last.clone();
        Arrays.sort(sorted);
        double median = sorted[STABLE_CHUNKS / 2];
        for (double r : last) if (Math.abs(r - median) > TOLERANCE * median) return false;
        return true;
    }

    /** Whether the warm-up ended with a steady rate (false while it goes on, or when it hit its limit). */
    boolean stable() {
        return stable;
    }

    /** Seconds warmed up so far. */
    double seconds() {
        return seconds;
    }
}
