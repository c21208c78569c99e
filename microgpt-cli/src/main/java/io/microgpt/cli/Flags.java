package io.microgpt.cli;

import io.microgpt.core.Setting;

/** The flag of each setting core checks, so that core's rules name what the user typed. */
final class Flags {
    private Flags() {
    }

    /** The flag of {@code setting}, e.g. {@code --n-embd}. */
    static String of(Setting setting) {
        return switch (setting) {
            case N_EMBD -> "--n-embd";
            case N_HEAD -> "--n-head";
            case N_LAYER -> "--n-layer";
            case BLOCK_SIZE -> "--block-size";
            case STEPS -> "--steps";
            case BATCH_SIZE -> "--batch";
            case LEARNING_RATE -> "--lr";
            case BETA1 -> "--beta1";
            case BETA2 -> "--beta2";
            case WARMUP_STEPS -> "--warmup";
            case SCHEDULE -> "--schedule";
            case MIN_LEARNING_RATE -> "--min-lr";
            case WEIGHT_DECAY -> "--weight-decay";
            case GRAD_CLIP -> "--grad-clip";
            case VALIDATION_FRACTION -> "--val-fraction";
            case TEMPERATURE -> "--temperature";
            case TOP_K -> "--top-k";
            case TOP_P -> "--top-p";
            case THREADS -> "--threads";
            case VOCAB_SIZE -> "--vocab-size";
        };
    }
}
