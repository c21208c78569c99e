package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingControls;
import picocli.CommandLine.Option;

/**
 * The {@code train} options of the optimiser beyond {@code --lr}: Adam's betas and the opt-in controls of
 * longer runs (a picocli argument group inside the optimisation section). Without any of them a run is the reference's.
 * The fields start at the defaults too: picocli does not apply {@code defaultValue} to a nested group none of
 * whose options was given.
 */
final class OptimizerOptions {
    @Option(names = "--beta1", paramLabel = "X", defaultValue = "0.85", description = "Adam's first-moment decay (default: ${DEFAULT-VALUE})")
    double beta1 = 0.85;

    @Option(names = "--beta2", paramLabel = "X", defaultValue = "0.99", description = "Adam's second-moment decay (default: ${DEFAULT-VALUE})")
    double beta2 = 0.99;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "raise the learning rate linearly over the first N steps: lr * (k + 1) / (N + 1) at step k (default: ${DEFAULT-VALUE}, none)")
    int warmup = 0;

    @Option(names = "--schedule", paramLabel = "linear|cosine", defaultValue = "linear",
            description = "decay of the learning rate after the warm-up, from --lr to --min-lr at the last step (default: ${DEFAULT-VALUE})")
    String schedule = "linear";

    @Option(names = "--min-lr", paramLabel = "X", defaultValue = "0",
            description = "the learning rate the decay ends at (default: ${DEFAULT-VALUE})")
    double minLearningRate = 0;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "decoupled weight decay (AdamW): each step w -= lr * W * w, on every tensor (default: ${DEFAULT-VALUE}, off)")
    double weightDecay = 0;

    @Option(names = "--grad-clip", paramLabel = "C", defaultValue = "0",
            description = "scale the gradient down to global L2 norm C (over all tensors) when it is larger (default: ${DEFAULT-VALUE}, off)")
    double gradClip = 0;

    /** The controls, checked; a {@link MicrogptException} naming the flag for a value that cannot work. */
    TrainingControls controls() {
        TrainingControls.Schedule s;
        try {
            s = TrainingControls.Schedule.parse(schedule);
        } catch (MicrogptException e) {
            throw new MicrogptException("--schedule must be linear or cosine, got '" + schedule + "'");
        }
        if (warmup < 0) throw new MicrogptException("--warmup must be 0 (none) or positive, got " + warmup);
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new MicrogptException("--min-lr must be 0 or a positive number, got " + minLearningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new MicrogptException("--weight-decay must be 0 (off) or a positive number, got " + weightDecay);
        }
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) {
            throw new MicrogptException("--grad-clip must be 0 (off) or a positive number, got " + gradClip);
        }
        if (!(beta1 >= 0 && beta1 < 1)) throw new MicrogptException("--beta1 must be at least 0 and below 1, got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new MicrogptException("--beta2 must be at least 0 and below 1, got " + beta2);
        return new TrainingControls(warmup, s, minLearningRate, weightDecay, gradClip);
    }
}
