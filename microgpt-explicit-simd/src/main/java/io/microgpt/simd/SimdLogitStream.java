package io.microgpt.simd;

import io.microgpt.core.LogitStream;
import io.microgpt.core.ModelConfig;

/**
 * Inference over a snapshot of the weights: position p is row p of its own one-document buffers, so the
 * keys and values of earlier rows are the KV cache and each call runs the model on one row.
 */
final class SimdLogitStream implements LogitStream {
    private final ModelConfig config;
    private final GptPass pass;
    private final BatchBuffers buffers;
    private final AttentionScratch scratch;
    private final double[] logits;
    private int position;

    SimdLogitStream(SimdWeights snapshot) {
        this.config = snapshot.config();
        this.pass = new GptPass(snapshot);
        this.buffers = new BatchBuffers(config, config.blockSize());
        this.scratch = new AttentionScratch(config);
        this.logits = new double[config.vocabSize()];
    }

    @Override
    public double[] next(int token) {
        LogitStream.checkNext(config, position, token);
        int row = position++;
        buffers.token[row] = token;
        buffers.position[row] = row;
        pass.forward(buffers, row, row + 1, scratch);
        int li = buffers.logits.row(row);
        for (int j = 0; j < logits.length; j++) logits[j] = buffers.logits.data()[li + j];
        return logits;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public void reset() {
        position = 0;
    }
}
