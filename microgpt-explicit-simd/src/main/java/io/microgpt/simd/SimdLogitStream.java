package io.microgpt.simd;

import io.microgpt.core.spi.LogitStream;

/**
 * Inference over a snapshot of the weights: position p is row p of its own one-document buffers, so the
 * keys and values of earlier rows are the KV cache and each call runs the model on one row.
 */
final class SimdLogitStream extends LogitStream {
    private final SimdGpt gpt;
    private final BatchBuffers buffers;
    private final AttentionScratch scratch;

    SimdLogitStream(SimdWeights snapshot) {
        super(snapshot.config());
        this.gpt = new SimdGpt(snapshot);
        this.buffers = new BatchBuffers(snapshot.config(), snapshot.config().blockSize(), false);
        this.scratch = new AttentionScratch(snapshot.config());
    }

    @Override
    protected void compute(int token, int row, double[] logits) {
        buffers.token[row] = token;
        buffers.position[row] = row;
        gpt.forward(buffers, row, row + 1, scratch);
        int li = buffers.logits.row(row);
        for (int j = 0; j < logits.length; j++) logits[j] = buffers.logits.data()[li + j];
    }
}
