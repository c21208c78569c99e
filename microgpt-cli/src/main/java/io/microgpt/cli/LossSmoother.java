package io.microgpt.cli;

/**
 * The smoothed loss: an exponential moving average with Adam-style bias correction, so the first steps show
 * their own losses rather than a value pulled towards zero. With decay 0.98 it averages about the last 50 steps.
 */
final class LossSmoother {
    /** Weight of the previous average at each step. */
    static final double DECAY = 0.98;

    private double average;
    private double decayPower = 1;

    /** Adds a step's loss and returns the smoothed loss so far. */
    double add(double loss) {
        average = DECAY * average + (1 - DECAY) * loss;
        decayPower *= DECAY;
        return value();
    }

    /** The smoothed loss so far (NaN before the first step). */
    double value() {
        return decayPower == 1 ? Double.NaN : average / (1 - decayPower);
    }
}
