package io.microgpt.cli;

/**
 * The recent pace of training, for the live ETA and µs/sample: exponential moving averages, over roughly the
 * last {@link #TIME_CONSTANT_NANOS} of wall time, of the step rate (steps per wall nanosecond) and of the
 * sample rate (samples per nanosecond of computation). Rates, not times per step, are averaged: a few slow
 * steps then weigh by the time they took, not by how slow they were.
 * The first {@link #WARM_UP_NANOS} of a run are left out. While the JIT is still compiling the hot loops the
 * rate keeps climbing (on a busy 2-core machine, simd at n_embd 64 went from 15 to 770 samples/s over its
 * first 10 s), and an estimate made then overstates the time left many times over: so there is no rate
 * worth showing ({@link #ready()} is false) until the step rate changed by less than
 * {@link #STABLE_CHANGE} over one {@link #CHECK_NANOS} interval, or {@link #MAX_WARM_UP_NANOS} of data
 * were seen. Once shown, it stays shown.
 *
 * <p>Each update is weighted by the wall time it covers: {@code avg += (1 - e^(-dt / tau)) * (rate - avg)}.
 */
final class RecentRate {
    /** Wall time at the start of a run that the averages ignore. */
    static final long WARM_UP_NANOS = 1_000_000_000L;
    /** Interval between two looks at whether the step rate is stable. */
    static final long CHECK_NANOS = 1_000_000_000L;
    /** The largest relative change of the step rate over one check interval that counts as stable. */
    static final double STABLE_CHANGE = 0.15;
    /** Data seen after which the rate is shown, stable or not. */
    static final long MAX_WARM_UP_NANOS = 10_000_000_000L;
    /** Time constant tau of the averages: a step this long ago weighs 1/e of the latest. */
    static final double TIME_CONSTANT_NANOS = 1e9;

    private long lastWall;
    private long lastCompute;
    private int lastSteps;
    private long seen;
    private long nextCheck = CHECK_NANOS;
    private double rateAtLastCheck = Double.NaN;
    private boolean stable;
    private double stepsPerNano = Double.NaN;
    private double samplesPerComputeNano = Double.NaN;

    /**
     * Takes the run's totals after a step.
     *
     * @param wallNanos    wall time since training started
     * @param steps        steps done since then
     * @param computeNanos training computation time since then
     * @param batchSize    samples per step
     */
    void update(long wallNanos, int steps, long computeNanos, int batchSize) {
        if (wallNanos < WARM_UP_NANOS || lastSteps == 0) {
            remember(wallNanos, steps, computeNanos);
            return;
        }
        long dt = wallNanos - lastWall;
        long dCompute = computeNanos - lastCompute;
        int dSteps = steps - lastSteps;
        if (dt <= 0 || dCompute <= 0 || dSteps <= 0) return;
        double stepRate = dSteps / (double) dt;
        double sampleRate = (double) dSteps * batchSize / dCompute;
        if (Double.isNaN(stepsPerNano)) {
            stepsPerNano = stepRate;
            samplesPerComputeNano = sampleRate;
        } else {
            double weight = 1 - Math.exp(-dt / TIME_CONSTANT_NANOS);
            stepsPerNano += weight * (stepRate - stepsPerNano);
            samplesPerComputeNano += weight * (sampleRate - samplesPerComputeNano);
        }
        seen += dt;
        remember(wallNanos, steps, computeNanos);
        if (!stable && seen >= nextCheck) {
            double change = Math.abs(stepsPerNano / rateAtLastCheck - 1);   // NaN (not stable) at the first check
            stable = change <= STABLE_CHANGE || seen >= MAX_WARM_UP_NANOS;
            rateAtLastCheck = stepsPerNano;
            nextCheck = seen + CHECK_NANOS;
        }
    }

    private void remember(long wallNanos, int steps, long computeNanos) {
        lastWall = wallNanos;
        lastSteps = steps;
        lastCompute = computeNanos;
    }

    /** Whether the rate has settled after the warm-up, so that it is worth showing. */
    boolean ready() {
        return stable;
    }

    /** Recent wall nanoseconds per step; NaN until {@link #ready()}. */
    double nanosPerStep() {
        return ready() ? 1 / stepsPerNano : Double.NaN;
    }

    /** Recent computation nanoseconds per sample; NaN until {@link #ready()}. */
    double computeNanosPerSample() {
        return ready() ? 1 / samplesPerComputeNano : Double.NaN;
    }
}
