package io.microgpt.simd;

import java.util.function.LongSupplier;

/**
 * How many threads a step uses. An explicit count is obeyed (never more than the step has shards). Left
 * automatic: one thread for small steps (see {@link #MIN_PARALLEL_WORK}); otherwise one mode, one thread or all,
 * is chosen, and now and then the other is tried for a few steps and taken if it was faster. (A second core busy
 * with other work makes a parallel step several times slower, and nothing else tells.) The choice never changes a
 * result, only the speed: results are the same for any thread count.
 *
 * <p>How a mode is judged: by its time per row over {@value #JUDGED_STEPS} consecutive steps, after
 * {@value #SETTLING_STEPS} that do not count (the first parallel steps after a spell on one thread wake parked
 * workers whose caches are cold, and the first steps back on one thread find part of the weights in the other
 * core's cache). The mode in use is judged again in every later block of steps. A trial of the other mode comes
 * {@value #FIRST_INTERVAL} steps into a spell, then, each time the trial loses, twice as many steps later, up to
 * {@value #MAX_INTERVAL}: so the trials cost little where the answer does not change. While all threads are in use,
 * a trial of one comes sooner when a block of theirs is slower than one thread's last timing (another program
 * took a core). One thread is kept unless all threads were
 * 10% faster ({@link #PARALLEL_GAIN}) (so that noise does not buy a mode that costs more when a core gets busy); all
 * threads give way to one as soon as one is faster.
 *
 * <p>Use: {@link #threadsFor} before a step, {@link #stepStarted} and {@link #stepFinished} around it; a step whose
 * count was not chosen by timing (explicit, too small, one shard) is not timed. Not thread-safe: one engine thread
 * calls it. The clock is injected, so the policy can be tested without timing anything.
 */
final class ThreadPolicy {
    /**
     * With the thread count left automatic, a step runs on one thread unless rows x n_embd^2 (its work, up to a
     * constant) reaches this: measured on 2 cores, a second thread paid at n_embd 16 with 16 documents (~110
     * rows, 28k) and lost at n_embd 8 with 16 documents (7k) and at n_embd 16 with 4 documents (7k).
     */
    static final long MIN_PARALLEL_WORK = 16_384;
    /** Steps at the start of each spell in a mode that are not timed. */
    static final int SETTLING_STEPS = 2;
    /** Steps whose summed time, per row, judges a mode (or more: see {@link #JUDGED_ROWS}). */
    static final int JUDGED_STEPS = 8;
    /**
     * Rows a block of judged steps holds at least (it runs on past {@link #JUDGED_STEPS} until it does): with one
     * short document a step, a step's time is far from proportional to its rows (Adam's update does not shrink),
     * and 8 steps of 2 to 16 rows judge the documents more than the mode.
     */
    static final int JUDGED_ROWS = 256;
    /** Steps into a spell in one mode before the other is first tried. */
    static final int FIRST_INTERVAL = 50;
    /** The most steps between trials of the other mode. */
    static final int MAX_INTERVAL = 1_600;
    /** All threads replace one only if this much faster per row (0.1: 10%). */
    static final double PARALLEL_GAIN = 0.1;

    private final int threads;
    private final boolean automatic;
    private final long squaredWidth;
    private final LongSupplier clock;

    /** The mode chosen: all threads (true) or one. */
    private boolean parallel;
    /** Whether the current steps try the other mode. */
    private boolean trying;
    /** Timed steps since the current spell (of the chosen mode, or of a trial) began. */
    private int spellSteps;
    /** Steps into a spell of the chosen mode at which the next trial begins. */
    private int interval = FIRST_INTERVAL;
    /** Steps, clock units and rows of the current block of judged steps. */
    private int blockSteps;
    private long blockTime;
    private long blockRows;
    /** The last judged time per row of one thread ([0]) and of all threads ([1]); NaN before the first. */
    private final double[] perRow = {Double.NaN, Double.NaN};
    /** Whether the step being run was chosen by this policy's timing (and so is timed). */
    private boolean timedStep;
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
        timedStep = false;
        if (!automatic || all <= 1) return all;
        if (rows * squaredWidth < MIN_PARALLEL_WORK) return 1;
        timedStep = true;
        return parallel != trying ? all : 1;
    }

    /** Notes the time a step starts. */
    void stepStarted() {
        started = clock.getAsLong();
    }

    /** Times the step (if its thread count was chosen by timing) and decides the mode of the next. */
    void stepFinished(int threadsUsed, int rows) {
        if (!timedStep) return;
        timedStep = false;
        int mode = threadsUsed > 1 ? 1 : 0;
        spellSteps++;
        if (spellSteps <= SETTLING_STEPS) return;
        blockTime += clock.getAsLong() - started;
        blockRows += rows;
        if (++blockSteps < JUDGED_STEPS || blockRows < JUDGED_ROWS) return;
        double judged = (double) blockTime / blockRows;
        blockTime = 0;
        blockRows = 0;
        blockSteps = 0;
        double other = perRow[1 - mode];
        perRow[mode] = judged;
        if (trying) {
            endTrial(mode);
        } else if (spellSteps >= interval || mode == 1 && beats(0, other, judged)) {
            startTrial();
        }
    }

    /** Whether a time per row of the given mode beats the other mode's: one thread's if smaller, all threads' if {@link #PARALLEL_GAIN} smaller. */
    private static boolean beats(int mode, double perRow, double otherPerRow) {
        return mode == 1 ? perRow < otherPerRow * (1 - PARALLEL_GAIN) : perRow < otherPerRow;
    }

    /** A trial has been judged: its mode is taken if it was faster, else the chosen mode resumes. */
    private void endTrial(int triedMode) {
        trying = false;
        if (beats(triedMode, perRow[triedMode], perRow[1 - triedMode])) {
            parallel = triedMode == 1;   // the trial's steps are already settled: the spell goes on
            interval = FIRST_INTERVAL;
        } else {
            spellSteps = 0;
            interval = Math.min(2 * interval, MAX_INTERVAL);
        }
    }

    private void startTrial() {
        trying = true;
        spellSteps = 0;
    }
}
