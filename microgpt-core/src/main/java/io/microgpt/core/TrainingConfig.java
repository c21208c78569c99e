package io.microgpt.core;

import java.math.BigInteger;
import java.util.function.Function;

/**
 * How to train: step count, documents per step, Adam's hyperparameters, the seed and the optional controls.
 * Without controls the learning rate decays linearly from {@code learningRate} to zero over {@code steps}.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param steps        optimisation steps; 0 samples from the initial weights, as the reference does
 * @param batchSize    documents per step; the step's loss is the mean of each document's mean loss
 * @param learningRate initial Adam learning rate
 * @param beta1        Adam's first-moment decay
 * @param beta2        Adam's second-moment decay
 * @param eps          Adam's denominator guard
 * @param seed         seed of the one random source (shuffle, init, sampling): any integer, as Python's
 *                     {@code random.seed} takes
 * @param controls     warm-up, schedule, weight decay and clipping ({@link TrainingControls#none()}: the reference's)
 */
public record TrainingConfig(int steps, int batchSize, double learningRate, double beta1, double beta2, double eps,
                             BigInteger seed, TrainingControls controls) {
    /** Digits a seed may have at most (so that a checkpoint's metadata holds it). */
    public static final int MAX_SEED_DIGITS = 10_000;
    /** The reference's steps. */
    public static final int DEFAULT_STEPS = 1000;
    /** The reference's initial learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    /** The reference's Adam first-moment decay. */
    public static final double DEFAULT_BETA1 = 0.85;
    /** The reference's Adam second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.99;
    /** The reference's Adam denominator guard. */
    public static final double DEFAULT_EPS = 1e-8;
    /** The reference's seed. */
    public static final int DEFAULT_SEED = 42;

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public TrainingConfig {
        checkSteps(steps, Setting::described);
        checkBatchSize(batchSize, Setting::described);
        checkLearningRate(learningRate, Setting::described);
        checkBetas(beta1, beta2, Setting::described);
        if (!(eps > 0) || Double.isInfinite(eps)) throw new MicrogptException("eps must be a positive finite number, got " + eps);
        if (seed == null) throw new MicrogptException("the seed is missing");
        if (seed.abs().toString().length() > MAX_SEED_DIGITS) {
            throw new MicrogptException("the seed has more than " + MAX_SEED_DIGITS + " digits; use a shorter one");
        }
        if (controls == null) controls = TrainingControls.none();
        checkSchedule(steps, learningRate, controls, Setting::described);
    }

    /** Steps 0 or more; a {@link MicrogptException} naming them as {@code name} calls them otherwise. */
    public static void checkSteps(int steps, Function<Setting, String> name) {
        if (steps < 0) throw new MicrogptException(name.apply(Setting.STEPS) + " must be 0 or more, got " + steps);
    }

    /** A positive batch size; a {@link MicrogptException} naming it as {@code name} calls it otherwise. */
    public static void checkBatchSize(int batchSize, Function<Setting, String> name) {
        if (batchSize <= 0) throw new MicrogptException(name.apply(Setting.BATCH_SIZE) + " must be positive, got " + batchSize);
    }

    /** A positive finite learning rate; a {@link MicrogptException} naming it as {@code name} calls it otherwise. */
    public static void checkLearningRate(double learningRate, Function<Setting, String> name) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new MicrogptException(name.apply(Setting.LEARNING_RATE) + " must be a positive finite number, got " + learningRate);
        }
    }

    /** Adam's betas each in [0, 1); a {@link MicrogptException} naming the first that is not, as {@code name} calls it. */
    public static void checkBetas(double beta1, double beta2, Function<Setting, String> name) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new MicrogptException(name.apply(Setting.BETA1) + " must be at least 0 and below 1, got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new MicrogptException(name.apply(Setting.BETA2) + " must be at least 0 and below 1, got " + beta2);
    }

    /**
     * The controls against the run: a warm-up shorter than the run, a floor not above the learning rate; a
     * {@link MicrogptException} naming the settings as {@code name} calls them.
     */
    public static void checkSchedule(int steps, double learningRate, TrainingControls controls, Function<Setting, String> name) {
        if (controls.warmupSteps() >= steps && controls.warmupSteps() > 0) {
            throw new MicrogptException(name.apply(Setting.WARMUP_STEPS) + " " + controls.warmupSteps() + " must be less than "
                    + name.apply(Setting.STEPS) + " " + steps + " (the warm-up must be shorter than the run)");
        }
        if (controls.minLearningRate() > learningRate) {
            throw new MicrogptException(name.apply(Setting.MIN_LEARNING_RATE) + " " + controls.minLearningRate() + " must not be above "
                    + name.apply(Setting.LEARNING_RATE) + " " + learningRate);
        }
    }

    /** A config without controls (the reference's schedule). */
    public TrainingConfig(int steps, int batchSize, double learningRate, double beta1, double beta2, double eps, BigInteger seed) {
        this(steps, batchSize, learningRate, beta1, beta2, eps, seed, TrainingControls.none());
    }

    /** The same with a seed that fits in a {@code long}. */
    public TrainingConfig(int steps, int batchSize, double learningRate, double beta1, double beta2, double eps, long seed,
                          TrainingControls controls) {
        this(steps, batchSize, learningRate, beta1, beta2, eps, BigInteger.valueOf(seed), controls);
    }

    /** The same without controls, with a seed that fits in a {@code long}. */
    public TrainingConfig(int steps, int batchSize, double learningRate, double beta1, double beta2, double eps, long seed) {
        this(steps, batchSize, learningRate, beta1, beta2, eps, BigInteger.valueOf(seed), TrainingControls.none());
    }

    /** The reference run: 1000 steps, batch 1, lr 0.01, betas 0.85 / 0.99, eps 1e-8, seed 42. */
    public static TrainingConfig reference() {
        return new TrainingConfig(DEFAULT_STEPS, 1, DEFAULT_LEARNING_RATE, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_SEED);
    }

    /** A copy with another step count. */
    public TrainingConfig withSteps(int newSteps) {
        return new TrainingConfig(newSteps, batchSize, learningRate, beta1, beta2, eps, seed, controls);
    }

    /** A copy with another batch size. */
    public TrainingConfig withBatchSize(int newBatchSize) {
        return new TrainingConfig(steps, newBatchSize, learningRate, beta1, beta2, eps, seed, controls);
    }

    /** A copy with another initial learning rate. */
    public TrainingConfig withLearningRate(double newLearningRate) {
        return new TrainingConfig(steps, batchSize, newLearningRate, beta1, beta2, eps, seed, controls);
    }

    /** The learning rate of 0-based step {@code stepIndex}, by the controls' schedule. */
    public double learningRateAt(int stepIndex) {
        return controls.learningRate(learningRate, stepIndex, steps);
    }
}
