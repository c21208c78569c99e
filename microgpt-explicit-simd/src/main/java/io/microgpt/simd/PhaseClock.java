package io.microgpt.simd;

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
    private long last;
    private long stepStart;
    private long stepTime;
    private int steps;

    /** A clock reading {@code time} (nanoseconds, or any count that never decreases); null for one that is off. */
    PhaseClock(LongSupplier time) {
        this.time = time;
    }

    /** A clock on {@link System#nanoTime}. */
    static PhaseClock nanoTime() {
        return new PhaseClock(System::nanoTime);
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
        last = now;
    }

    /** A step starts (call right before it). */
    void startStep() {
        if (time == null) return;
        stepStart = time.getAsLong();
        last = stepStart;
    }

    /** The step has ended (call right after it): its whole time is counted, marked or not. */
    void endStep() {
        if (time == null) return;
        stepTime += time.getAsLong() - stepStart;
        steps++;
    }

    /** Time of {@code phase} over the steps since the last {@link #reset}. */
    long time(Phase phase) {
        return phaseTime[phase.ordinal()];
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
        stepTime = 0;
        steps = 0;
    }
}
