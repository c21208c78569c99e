package io.microgpt.simd;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * Where a one-thread training step's time goes, {@link Phase} by phase: the serial schedule's code calls
 * {@link #mark} where each phase ends, and the time since the previous mark goes to that phase. {@link #OFF} (what
 * every engine has unless a profile asks for a clock) returns from {@code mark} at once: a field test per phase
 * boundary, and the same bits. {@link StepProfile} prints what a clock gathered.
 *
 * <p>Not thread-safe: one thread marks it (an engine with a clock runs on one thread).
 */
final class PhaseClock {
    /** The clock that times nothing. */
    static final PhaseClock OFF = new PhaseClock(null);

    /** Null when off. */
    private final LongSupplier time;
    private final long[] phaseTime = new long[Phase.ALL.length];
    private final long[] phaseMarks = new long[Phase.ALL.length];
    /** The phases' time and marks before the step that runs (for {@link #dropStep}). */
    private final long[] timeBefore = new long[Phase.ALL.length];
    private final long[] marksBefore = new long[Phase.ALL.length];
    private long last;
    private long stepStart;
    private long stepTime;
    private long lastStep;
    private int steps;

    /** A clock reading {@code time} (nanoseconds, or any count that never decreases); null for one that is off. */
    PhaseClock(LongSupplier time) {
        this.time = time;
    }

    /** A clock on {@link System#nanoTime}: the wall clock, which also counts the time the thread waited for a core. */
    static PhaseClock nanoTime() {
        return new PhaseClock(System::nanoTime);
    }

    /**
     * A clock on the calling thread's CPU time (ThreadMXBean): blind to the time the thread waited for a core on a
     * shared machine, but each reading is a system call (costlier than {@link #nanoTime}: see the profile's clock cost).
     */
    static PhaseClock threadCpuTime() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return new PhaseClock(bean::getCurrentThreadCpuTime);
    }

    /** Whether this clock times anything. */
    boolean on() {
        return time != null;
    }

    /** Ends {@code phase}: the time since the last mark (or the step's start) goes to it. */
    void mark(Phase phase) {
        if (time == null) return;
        long now = time.getAsLong();
        phaseTime[phase.ordinal()] += now - last;
        phaseMarks[phase.ordinal()]++;
        last = now;
    }

    /** A step starts (call right before it). */
    void startStep() {
        if (time == null) return;
        System.arraycopy(phaseTime, 0, timeBefore, 0, phaseTime.length);
        System.arraycopy(phaseMarks, 0, marksBefore, 0, phaseMarks.length);
        stepStart = time.getAsLong();
        last = stepStart;
    }

    /** The step has ended (call right after it): its whole time is counted, marked or not. */
    void endStep() {
        if (time == null) return;
        lastStep = time.getAsLong() - stepStart;
        stepTime += lastStep;
        steps++;
    }

    /**
     * Forgets the step that has just ended (call after {@link #endStep}): e.g. one during which the thread lost its
     * core, when the clock is the wall clock.
     */
    void dropStep() {
        if (time == null) return;
        System.arraycopy(timeBefore, 0, phaseTime, 0, phaseTime.length);
        System.arraycopy(marksBefore, 0, phaseMarks, 0, phaseMarks.length);
        stepTime -= lastStep;
        steps--;
    }

    /** Time of {@code phase} over the steps since the last {@link #reset}. */
    long time(Phase phase) {
        return phaseTime[phase.ordinal()];
    }

    /** How often {@code phase} was marked since the last {@link #reset}. */
    long marks(Phase phase) {
        return phaseMarks[phase.ordinal()];
    }

    /**
     * What one reading of the clock costs, in its units: the least mean over {@code tries} runs of {@code readings}
     * back-to-back readings (the least: on a shared machine a run can only be made slower). Each phase's time holds
     * one reading per mark (the end of the reading before to the end of its own), which a profile may take off.
     */
    double readingCost(int tries, int readings) {
        double least = Double.MAX_VALUE;
        for (int t = 0; t < tries; t++) {
            long start = time.getAsLong();
            long end = start;
            for (int i = 0; i < readings; i++) end = time.getAsLong();
            least = Math.min(least, (double) (end - start) / readings);
        }
        return least;
    }

    /** Whole steps' time since the last reset. */
    long stepTime() {
        return stepTime;
    }

    /** Step time no phase accounts for (from the last mark to the step's end). */
    long unaccounted() {
        long sum = 0;
        for (long t : phaseTime) sum += t;
        return stepTime - sum;
    }

    /** Steps timed since the last reset. */
    int steps() {
        return steps;
    }

    /** Forgets what was timed. */
    void reset() {
        java.util.Arrays.fill(phaseTime, 0);
        java.util.Arrays.fill(phaseMarks, 0);
        stepTime = 0;
        steps = 0;
    }
}
