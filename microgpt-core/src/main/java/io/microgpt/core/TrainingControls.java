package io.microgpt.core;

import java.util.Locale;
import java.util.function.Function;

/**
 * The optional training controls of longer runs, each off by default so that a run without them is the
 * reference's: a linear learning-rate warm-up, the decay's shape and floor, decoupled weight decay (AdamW) and
 * clipping of the gradient's global L2 norm.
 *
 * <p>Learning rate at 0-based step {@code k} of {@code S} steps, with base rate {@code lr}, warm-up {@code W}
 * and floor {@code min}:
 * <pre>
 * k &lt; W:   lr * (k + 1) / (W + 1)                                  (linear warm-up, as nanoGPT)
 * k &gt;= W:  r = (k - W) / (S - W)
 *          linear: min + (lr - min) * (1 - r)                       (W = 0, min = 0: the reference's lr * (1 - k /
 * S))
 *          cosine: min + (lr - min) * 0.5 * (1 + cos(pi * r))
 * </pre>
 *
 * <p>Immutable, so thread-safe.
 *
 * @param warmupSteps     steps of linear warm-up (0: none)
 * @param schedule        shape of the decay after the warm-up
 * @param minLearningRate the rate the decay ends at (0: decays to zero, as the reference)
 * @param weightDecay     decoupled weight decay: every step {@code w -= lr * weightDecay * w} before Adam's step
 * (0: off);
 *                        applies to every tensor, since all of them are matrices (no biases, no norm gains)
 * @param gradClip        clip the gradient to this global L2 norm, over all tensors together (0: off)
 */
public record TrainingControls(int warmupSteps, Schedule schedule, double minLearningRate, double weightDecay, double gradClip) {

    /** How the learning rate decays after the warm-up. */
    public enum Schedule {
        /** Straight line to the floor (the reference's, with floor 0). */
        LINEAR,
        /** Half a cosine wave to the floor. */
        COSINE;

        /** The name as flags and checkpoints spell it: {@code linear}, {@code cosine}. */
        public String flag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The schedule of a flag or checkpoint value. */
        public static Schedule parse(String s) {
            return parse(s, Setting::described);
        }

        /** {@link #parse(String)}, naming the setting as {@code name} calls it in the message. */
        public static Schedule parse(String s, Function<Setting, String> name) {
            for (Schedule v : values()) if (v.flag().equals(s)) return v;
            throw new MicrogptException(name.apply(Setting.SCHEDULE) + " must be linear or cosine, got '" + s + "'");
        }
    }

    /** No warm-up (the reference's). */
    public static final int DEFAULT_WARMUP_STEPS = 0;
    /** The reference's decay: a straight line. */
    public static final Schedule DEFAULT_SCHEDULE = Schedule.LINEAR;
    /** The rate the reference's decay ends at. */
    public static final double DEFAULT_MIN_LEARNING_RATE = 0;
    /** No weight decay (the reference's). */
    public static final double DEFAULT_WEIGHT_DECAY = 0;
    /** No clipping (the reference's). */
    public static final double DEFAULT_GRAD_CLIP = 0;

    /** Validates every value; throws {@link MicrogptException} naming the first one that is wrong. */
    public TrainingControls {
        if (schedule == null) throw new MicrogptException("a schedule is needed (linear or cosine)");
        check(warmupSteps, minLearningRate, weightDecay, gradClip, Setting::described);
    }

    /**
     * The rules of each control alone (warm-up 0 or more, the rest 0 or positive and finite); a
     * {@link MicrogptException} naming the first that is wrong as {@code name} calls it.
     */
    public static void check(int warmupSteps, double minLearningRate, double weightDecay, double gradClip,
                             Function<Setting, String> name) {
        if (warmupSteps < 0) throw new MicrogptException(name.apply(Setting.WARMUP_STEPS) + " must be 0 (none) or positive, got " + warmupSteps);
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new MicrogptException(name.apply(Setting.MIN_LEARNING_RATE) + " must be 0 or a positive finite number, got " + minLearningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new MicrogptException(name.apply(Setting.WEIGHT_DECAY) + " must be 0 (off) or a positive finite number, got " + weightDecay);
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new MicrogptException(name.apply(Setting.GRAD_CLIP) + " must be 0 (off) or a positive finite number, got " + gradClip);
        }
    }

    /** All off: the reference's linear decay to zero, no decay of weights, no clipping. */
    public static TrainingControls none() {
        return new TrainingControls(DEFAULT_WARMUP_STEPS, DEFAULT_SCHEDULE, DEFAULT_MIN_LEARNING_RATE, DEFAULT_WEIGHT_DECAY,
                DEFAULT_GRAD_CLIP);
    }

    /** Whether every control is off. */
    public boolean isNone() {
        return equals(none());
    }

    /** The learning rate of 0-based step {@code stepIndex} of {@code steps}, from base rate {@code learningRate}. */
    public double learningRate(double learningRate, int stepIndex, int steps) {
        if (warmupSteps == 0 && minLearningRate == 0 && schedule == Schedule.LINEAR) {
            return learningRate * (1 - (double) stepIndex / steps);   // the reference's expression, bit for bit
        }
        if (stepIndex < warmupSteps) return learningRate * (stepIndex + 1) / (warmupSteps + 1);
        double ratio = warmupSteps >= steps ? 1 : (double) (stepIndex - warmupSteps) / (steps - warmupSteps);
        double coefficient = schedule == Schedule.COSINE ? 0.5 * (1 + Math.cos(Math.PI * ratio)) : 1 - ratio;
        return minLearningRate + (learningRate - minLearningRate) * coefficient;
    }
}
