package io.microgpt.core.spi;

import io.microgpt.core.TrainingConfig;

/**
 * The scalars of one Adam update, computed once per step by core so that every backend applies the same
 * schedule. With gradient {@code g} scaled by the clipping factor {@code s} (1 unless clipping is on):
 * <pre>
 * m = beta1 * m + (1 - beta1) * (s g);  v = beta2 * v + (1 - beta2) * (s g)^2
 * w = w - lr * weightDecay * w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * and {@code s = min(1, gradClip / (||g|| + 1e-6))} over the whole gradient when {@code gradClip > 0} (as
 * PyTorch's {@code clip_grad_norm_}); the decay is decoupled from the gradient (AdamW).
 *
 * <p>Immutable, so thread-safe.
 *
 * @param t                 1-based step number
 * @param learningRate      the scheduled learning rate of this step
 * @param beta1             first-moment decay
 * @param beta2             second-moment decay
 * @param eps               denominator guard
 * @param biasCorrection1   {@code 1 - beta1^t}
 * @param biasCorrection2   {@code 1 - beta2^t}
 * @param weightDecay       decoupled weight decay (0: off)
 * @param gradClip          maximum global L2 norm of the gradient (0: off)
 */
public record AdamStep(int t, double learningRate, double beta1, double beta2, double eps,
                       double biasCorrection1, double biasCorrection2, double weightDecay, double gradClip) {

    /** Added to the norm before dividing, as PyTorch does, so that a zero gradient stays zero. */
    public static final double CLIP_GUARD = 1e-6;

    /** A step without weight decay and clipping. */
    public AdamStep(int t, double learningRate, double beta1, double beta2, double eps,
                    double biasCorrection1, double biasCorrection2) {
        this(t, learningRate, beta1, beta2, eps, biasCorrection1, biasCorrection2, 0, 0);
    }

    /**
     * Step {@code stepIndex} (0-based) of a run: the learning rate of the config's schedule (without controls
     * {@code lr * (1 - stepIndex / steps)}, the reference's linear decay to zero), and bias corrections with
     * the powers rounded correctly (as the C library's {@code pow} that Python calls does, but for its rare
     * misroundings).
     */
    public static AdamStep of(TrainingConfig config, int stepIndex) {
        int t = stepIndex + 1;
        double lr = config.learningRateAt(stepIndex);
        return new AdamStep(t, lr, config.beta1(), config.beta2(), config.eps(),
                1 - ExactPower.pow(config.beta1(), t), 1 - ExactPower.pow(config.beta2(), t),
                config.controls().weightDecay(), config.controls().gradClip());
    }

    /** The factor the gradient is multiplied by for a gradient of global L2 norm {@code norm}: 1 unless clipping. */
    public double clipScale(double norm) {
        if (gradClip <= 0) return 1;
        double scale = gradClip / (norm + CLIP_GUARD);
        return scale < 1 ? scale : 1;
    }
}
