package io.microgpt.core;

/**
 * The settings of a run whose defaults and validity rules core keeps, as messages name them. The rules are
 * written once, in the configs ({@link ModelConfig#checkShape}, {@link TrainingConfig#checkBetas},
 * {@link TrainingControls#check}, ...), each taking how its caller names a setting: core's own messages use
 * {@link #described()} ({@code n_embd}, {@code learning rate}), the CLI its flags ({@code --n-embd}, {@code --lr}).
 *
 * <p>Immutable, so thread-safe.
 */
public enum Setting {
    N_EMBD("n_embd"),
    N_HEAD("n_head"),
    N_LAYER("n_layer"),
    BLOCK_SIZE("block_size"),
    STEPS("steps"),
    BATCH_SIZE("batch size"),
    LEARNING_RATE("learning rate"),
    BETA1("beta1"),
    BETA2("beta2"),
    WARMUP_STEPS("warm-up steps"),
    SCHEDULE("schedule"),
    MIN_LEARNING_RATE("minimum learning rate"),
    WEIGHT_DECAY("weight decay"),
    GRAD_CLIP("gradient clip"),
    VALIDATION_FRACTION("validation fraction"),
    TEMPERATURE("temperature"),
    TOP_K("top-k"),
    TOP_P("top-p"),
    THREADS("threads"),
    VOCAB_SIZE("vocabulary size");

    private final String described;

    Setting(String described) {
        this.described = described;
    }

    /** How core's own messages name it. */
    public String described() {
        return described;
    }
}
