package io.microgpt.cli;

import java.util.Arrays;

/**
 * The timed rounds of one backend at one width and batch: µs per training sample in each round, and the
 * engine's working memory after them.
 *
 * @param backend         backend name
 * @param nEmbd           embedding width
 * @param batch           documents per step
 * @param roundMicros     µs per sample of each timed round, in the order measured
 * @param workingSetBytes the engine's {@link io.microgpt.core.Engine#workingSetBytes()}, -1 when unknown
 */
record SpeedMeasurement(String backend, int nEmbd, int batch, double[] roundMicros, long workingSetBytes) {

    SpeedMeasurement {
        if (roundMicros.length == 0) throw new IllegalArgumentException("a measurement needs at least one round");
        roundMicros = roundMicros.clone();
    }

    /** Median µs per sample over the rounds (the mean of the middle two for an even count). */
    double median() {
        double[] sorted = roundMicros.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The fastest round's µs per sample. */
    double min() {
        return Arrays.stream(roundMicros).min().orElseThrow();
    }

    /** The slowest round's µs per sample. */
    double max() {
        return Arrays.stream(roundMicros).max().orElseThrow();
    }

    /** Training samples per second at the median. */
    double samplesPerSecond() {
        return 1e6 / median();
    }

    @Override
    public double[] roundMicros() {
        return roundMicros.clone();
    }
}
