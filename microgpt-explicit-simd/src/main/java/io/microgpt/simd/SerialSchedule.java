package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.AdamStep;

/**
 * A step on the calling thread alone: each part in turn into the gradient buffer, then Adam on every tensor. The
 * only schedule a {@link PhaseClock} times.
 */
final class SerialSchedule implements Schedule {
    private final ModelConfig config;
    private final SimdGpt gpt;
    private final CrossEntropy crossEntropy;
    private final TensorViews gradient;
    private final WeightUpdate update;
    private final AttentionScratch scratch;
    private final EmbeddingGradient embeddings;
    private final PhaseClock clock;
    /** The part running (the weight gradients read it). */
    private final RowParts part = new RowParts(1);
    private WeightGradients targets;
    private BatchBuffers targetsOf;

    SerialSchedule(ModelConfig config, SimdGpt gpt, CrossEntropy crossEntropy, TensorViews gradient, WeightUpdate update,
                   AttentionScratch scratch, PhaseClock clock) {
        this.config = config;
        this.gpt = gpt;
        this.crossEntropy = crossEntropy;
        this.gradient = gradient;
        this.update = update;
        this.scratch = scratch;
        this.embeddings = new EmbeddingGradient(config);
        this.clock = clock;
    }

    @Override
    public void chunk(BatchBuffers b, int rows, RowParts parts, AdamStep adam) {
        clock.mark(Phase.BATCH);
        if (targetsOf != b) {
            targets = WeightGradients.whole(config, b, gradient, part);
            targetsOf = b;
        }
        for (int i = 0; i < parts.count; i++) {
            int from = parts.start[i];
            int to = parts.start[i + 1];
            part.set(from, to, parts.adds(i));
            gpt.forward(b, from, to, scratch);
            crossEntropy.apply(b, from, to, true);
            clock.mark(Phase.CROSS_ENTROPY);
            gpt.backward(b, targets, from, to, embeddings, scratch);
        }
    }

    @Override
    public void finish(AdamStep adam) {
        if (adam != null) update.all(adam);
    }

    @Override
    public long bytes() {
        return embeddings.bytes();
    }
}
