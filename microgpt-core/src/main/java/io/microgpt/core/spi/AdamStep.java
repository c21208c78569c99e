package io.microgpt.core.spi;

import io.microgpt.core.TrainingConfig;

/**
 * The scalars of one Adam update, computed once per step by core so that every backend applies the same
 * schedule: {@code p -= lr * m_hat / (sqrt(v_hat) + eps)} with {@code m_hat = m / (1 - beta1^t)},
 * {@code v_hat = v / (1 - beta2^t)}.
 *
 * @param t                 1-based step number
 * @param learningRate      the decayed learning rate of this step
 * @param beta1             first-moment decay
 * @param beta2             second-moment decay
 * @param eps               denominator guard
 * @param biasCorrection1   {@code 1 - beta1^t}
 * @param biasCorrection2   {@code 1 - beta2^t}
 */
public record AdamStep(int t, double learningRate, double beta1, double beta2, double eps,
                       double biasCorrection1, double biasCorrection2) {

    /**
     * Step {@code stepIndex} (0-based) of a run: learning rate {@code lr * (1 - stepIndex / steps)}, the
     * reference's linear decay to zero, and bias corrections with the powers rounded correctly (as the C
     * library's {@code pow} that Python calls does, but for its rare misroundings).
     */
    public static AdamStep of(TrainingConfig config, int stepIndex) {
        int t = stepIndex + 1;
        double lr = config.learningRate() * (1 - (double) stepIndex / config.steps());
        return new AdamStep(t, lr, config.beta1(), config.beta2(), config.eps(),
                1 - ExactPower.pow(config.beta1(), t), 1 - ExactPower.pow(config.beta2(), t));
    }
}
