package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.TrainingRun;
import picocli.CommandLine.Option;

/**
 * The model-shape flags ({@code --n-embd}, {@code --n-head}, {@code --n-layer}, {@code --block-size}) of the
 * commands that build a model, declared and checked once (a picocli mixin or argument group).
 */
final class ModelShapeOptions {
    @Option(names = "--n-embd", paramLabel = "N", defaultValue = "16", description = "embedding width (default: ${DEFAULT-VALUE})")
    int nEmbd;

    @Option(names = "--n-head", paramLabel = "N", defaultValue = "4",
            description = "attention heads; must divide --n-embd (default: ${DEFAULT-VALUE})")
    int nHead;

    @Option(names = "--n-layer", paramLabel = "N", defaultValue = "1",
            description = "transformer layers; 0 = embeddings and lm_head only (default: ${DEFAULT-VALUE})")
    int nLayer;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "16",
            description = "context length in tokens (default: ${DEFAULT-VALUE})")
    int blockSize;

    /** Throws a {@link MicrogptException} naming the flag, before any work starts. */
    void validate() {
        positive("--n-embd", nEmbd);
        positive("--n-head", nHead);
        if (nLayer < 0) throw new MicrogptException("--n-layer must be 0 or more, got " + nLayer);
        positive("--block-size", blockSize);
        if (nEmbd % nHead != 0) {
            throw new MicrogptException("--n-embd " + nEmbd + " is not divisible by --n-head " + nHead + " (head size must be whole)");
        }
    }

    /** Sets the shape on a run's builder. */
    TrainingRun.Builder applyTo(TrainingRun.Builder builder) {
        return builder.nEmbd(nEmbd).nHead(nHead).nLayer(nLayer).blockSize(blockSize);
    }

    private static void positive(String flag, int value) {
        if (value < 1) throw new MicrogptException(flag + " must be 1 or more, got " + value);
    }
}
