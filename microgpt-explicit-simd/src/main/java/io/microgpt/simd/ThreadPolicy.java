package io.microgpt.simd;

import java.util.function.LongSupplier;

/**
 * How many threads a step uses. An explicit count is obeyed (never more than the step has shards). Left
 * automatic: one thread for small steps (see {@link #MIN_PARALLEL_WORK}); otherwise whichever of one thread
 * and all threads has been faster per row lately, the other mode being timed again every
 * {@value #PROBE_INTERVAL} steps. (A second core busy with other work makes a parallel step several times
 * slower, and nothing else tells.) The choice never changes a result, only the speed: results are the same
 * for any thread count.
 *
 * <p>Use: {@link #threadsFor} before a step, {@link #stepStarted} and {@link #stepFinished} around it. The
 * clock is injected, so the policy can be tested without timing anything.
 */
final class ThreadPolicy {
    /**
     * With the thread count left automatic, a step runs on one thread unless rows x n_embd^2 (its work, up to a
     * constant) reaches this: measured on 2 cores, a second thread paid at n_embd 16 with 16 documents (~110
     * rows, 28k) and lost at n_embd 8 with 16 documents (7k) and at n_embd 16 with 4 documents (7k).
     */
    static final long MIN_PARALLEL_WORK = 16_384;
    /** With the count left automatic, every this many steps the mode not in use is timed again. */
    static final int PROBE_INTERVAL = 50;

    private final int threads;
    private final boolean automatic;
    private final long squaredWidth;
    private final LongSupplier clock;
    /**
     * The last three timings, in clock units per row, of steps on one thread ([0]) and on all threads ([1]).
     * Their median judges a mode, so that one step stretched by a preemption does not.
     */
    private final double[][] perRow = new double[2][3];
    private final int[] timings = new int[2];
    private int stepsSinceProbe;
    private long started;

    /**
     * @param threads   threads available (at least 1)
     * @param automatic whether to choose between 1 and {@code threads} by timing, or always use {@code threads}
     * @param nEmbd     the model width (the work of a step grows with rows x n_embd^2)
     * @param clock     the time, e.g. {@code System::nanoTime}
     */
    ThreadPolicy(int threads, boolean automatic, int nEmbd, LongSupplier clock) {
        this.threads = threads;
        this.automatic = automatic;
        this.squaredWidth = (long) nEmbd * nEmbd;
        this.clock = clock;
    }

    /** The threads available. */
    int threads() {
        return threads;
    }

    /** Threads for a step of this many rows, cut into this many shards. */
    int threadsFor(int rows, int shards) {
        int all = Math.min(threads, shards);
        if (!automatic || all <= 1) return all;
        if (rows * squaredWidth < MIN_PARALLEL_WORK) return 1;
        if (timings[1] == 0) return all;
        if (timings[0] == 0) return 1;
        boolean parallel = typical(1) < typical(0);
        if (++stepsSinceProbe >= PROBE_INTERVAL) {
            stepsSinceProbe = 0;
            parallel = !parallel;
        }
        return parallel ? all : 1;
    }

    /** Notes the time a step starts. */
    void stepStarted() {
        started = clock.getAsLong();
    }

    /** Keeps the step's time per row among the last three of the mode it ran in. */
    void stepFinished(int threadsUsed, int rows) {
        if (!automatic || threads <= 1) return;
        int mode = threadsUsed > 1 ? 1 : 0;
        perRow[mode][timings[mode]++ % 3] = (double) (clock.getAsLong() - started) / rows;
    }

    /** The median of a mode's last three timings (the smaller, while there are only two). */
    private double typical(int mode) {
        double[] t = perRow[mode];
        if (timings[mode] == 1) return t[0];
        if (timings[mode] == 2) return Math.min(t[0], t[1]);
        return Math.max(Math.min(t[0], t[1]), Math.min(Math.max(t[0], t[1]), t[2]));
    }
}
