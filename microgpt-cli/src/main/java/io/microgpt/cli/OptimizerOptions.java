package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import picocli.CommandLine.Option;

/**
 * The {@code train} options of the optimiser beyond {@code --lr}: Adam's betas and the opt-in controls of
 * longer runs (a picocli argument group inside the optimisation section). Without any of them a run is the reference's.
 * The fields start at the defaults too: picocli does not apply {@code defaultValue} to a nested group none of
 * whose options was given.
 */
final class OptimizerOptions {
    /** The default schedule as the flag spells it (an annotation needs a constant: checked against core's by a test). */
    static final String SCHEDULE = "linear";

    @Option(names = "--beta1", paramLabel = "X", defaultValue = "" + TrainingConfig.DEFAULT_BETA1,
            description = "Adam's first-moment decay (default: ${DEFAULT-VALUE})")
    double beta1 = TrainingConfig.DEFAULT_BETA1;

    @Option(names = "--beta2", paramLabel = "X", defaultValue = "" + TrainingConfig.DEFAULT_BETA2,
            description = "Adam's second-moment decay (default: ${DEFAULT-VALUE})")
    double beta2 = TrainingConfig.DEFAULT_BETA2;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + TrainingControls.DEFAULT_WARMUP_STEPS,
            description = "raise the learning rate linearly over the first N steps: lr * (k + 1) / (N + 1) at step k (default: ${DEFAULT-VALUE}, none)")
    int warmup = TrainingControls.DEFAULT_WARMUP_STEPS;

    @Option(names = "--schedule", paramLabel = "linear|cosine", defaultValue = SCHEDULE,
            description = "decay of the learning rate after the warm-up, from --lr to --min-lr at the last step (default: ${DEFAULT-VALUE})")
    String schedule = SCHEDULE;

    // "0", not "" + the constant's "0.0": DefaultsTest holds these literals to core's values
    @Option(names = "--min-lr", paramLabel = "X", defaultValue = "0",
            description = "the learning rate the decay ends at (default: ${DEFAULT-VALUE})")
    double minLearningRate = TrainingControls.DEFAULT_MIN_LEARNING_RATE;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "decoupled weight decay (AdamW): each step w -= lr * W * w, on every tensor (default: ${DEFAULT-VALUE}, off)")
    double weightDecay = TrainingControls.DEFAULT_WEIGHT_DECAY;

    @Option(names = "--grad-clip", paramLabel = "C", defaultValue = "0",
            description = "scale the gradient down to global L2 norm C (over all tensors) when it is larger (default: ${DEFAULT-VALUE}, off)")
    double gradClip = TrainingControls.DEFAULT_GRAD_CLIP;

    /** The controls, checked by core's rules; a {@link MicrogptException} naming the flag for a value that cannot work. */
    TrainingControls controls() {
        TrainingControls.Schedule s = TrainingControls.Schedule.parse(schedule, Flags::of);
        TrainingControls.check(warmup, minLearningRate, weightDecay, gradClip, Flags::of);
        TrainingConfig.checkBetas(beta1, beta2, Flags::of);
        return new TrainingControls(warmup, s, minLearningRate, weightDecay, gradClip);
    }
}
