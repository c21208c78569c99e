package io.microgpt.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The timed rounds of one backend at one width and batch: µs per training sample in each round, the engine's
 * working memory after them, and how far the figures can be trusted.
 *
 * @param backend             backend name
 * @param nEmbd               embedding width
 * @param batch               documents per step
 * @param roundMicros         µs per sample of each timed round, in the order measured
 * @param workingSetBytes     the engine's {@link io.microgpt.core.spi.Engine#workingSetBytes()}, -1 when unknown
 * @param flopsPerSample      training FLOPs per sample ({@link io.microgpt.core.TrainingFlops})
 * @param warmupSeconds       how long the warm-up before the rounds lasted
 * @param warmupStable        whether it ended with a steady rate ({@link WarmUp}) rather than at its limit
 * @param fewestStepsPerRound the fewest steps any round timed
 */
public record SpeedMeasurement(String backend, int nEmbd, int batch, double[] roundMicros, long workingSetBytes,
                        double flopsPerSample, double warmupSeconds, boolean warmupStable, int fewestStepsPerRound) {
    /** Rounds whose spread ({@code (max - min) / median}) exceeds this are flagged. */
    static final double MAX_SPREAD = 0.2;
    /** Rounds of fewer steps than this are flagged (the timer sees too few steps to average). */
    static final int MIN_STEPS_PER_ROUND = 3;

    public SpeedMeasurement {
        if (roundMicros.length == 0) throw new IllegalArgumentException("a measurement needs at least one round");
        roundMicros = roundMicros.clone();
    }

    /** Median µs per sample over the rounds (the mean of the middle two for an even count). */
    public double median() {
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

    /** Achieved GFLOP/s at the median: FLOPs per sample over µs per sample. */
    double gflops() {
        return flopsPerSample / median() / 1e3;
    }

    /** Why these figures may mislead, one reason each; empty when nothing was noticed. */
    List<String> warnings() {
        List<String> reasons = new ArrayList<>();
        if (!warmupStable) {
            reasons.add(String.format(Locale.ROOT, "the rate was still changing after %.1f s of warm-up (the JIT may not have compiled it yet)", warmupSeconds));
        }
        double spread = (max() - min()) / median();
        if (roundMicros.length > 1 && spread > MAX_SPREAD) {
            reasons.add(String.format(Locale.ROOT, "its rounds differ by %.0f%% (other work on the machine?)", 100 * spread));
        }
        if (fewestStepsPerRound < MIN_STEPS_PER_ROUND) {
            reasons.add("a round timed only " + fewestStepsPerRound + (fewestStepsPerRound == 1 ? " step" : " steps"));
        }
        return reasons;
    }

    @Override
    public double[] roundMicros() {
        return roundMicros.clone();
    }
}
