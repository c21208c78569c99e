package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingRun;
import picocli.CommandLine.Option;

/**
 * The model-shape flags ({@code --n-embd}, {@code --n-head}, {@code --n-layer}, {@code --block-size}) of the
 * commands that build a model, declared and checked once (a picocli mixin or argument group).
 */
final class ModelShapeOptions {
    @Option(names = "--n-embd", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_N_EMBD, description = "embedding width (default: ${DEFAULT-VALUE})")
    int nEmbd;

    @Option(names = "--n-head", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_N_HEAD,
            description = "attention heads; must divide --n-embd (default: ${DEFAULT-VALUE})")
    int nHead;

    @Option(names = "--n-layer", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_N_LAYER,
            description = "transformer layers; 0 = embeddings and lm_head only (default: ${DEFAULT-VALUE})")
    int nLayer;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "" + ModelConfig.DEFAULT_BLOCK_SIZE,
            description = "context length in tokens (default: ${DEFAULT-VALUE})")
    int blockSize;

    /** Throws a {@link MicrogptException} naming the flag, before any work starts (core's rules of a shape). */
    void validate() {
        ModelConfig.checkShape(nEmbd, nHead, nLayer, blockSize, Flags::of);
    }

    /** Sets the shape on a run's builder. */
    TrainingRun.Builder applyTo(TrainingRun.Builder builder) {
        return builder.nEmbd(nEmbd).nHead(nHead).nLayer(nLayer).blockSize(blockSize);
    }
}
