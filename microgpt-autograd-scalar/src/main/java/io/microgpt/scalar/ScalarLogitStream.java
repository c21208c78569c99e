package io.microgpt.scalar;

import io.microgpt.core.LogitStream;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.Parameters;

/** Inference on its own tape over a snapshot of the weights; the KV cache is the tape's key and value runs. */
final class ScalarLogitStream implements LogitStream {
    private final ModelConfig config;
    private final Tape tape;
    private final ScalarGpt gpt;
    private final double[] logits;
    private int position;

    ScalarLogitStream(Parameters weights) {
        this.config = weights.config();
        int p = weights.size();
        this.tape = new Tape(p, p * 2, p * 4);
        System.arraycopy(weights.data(), 0, tape.values(), 0, p);
        this.gpt = new ScalarGpt(config, tape);
        this.logits = new double[config.vocabSize()];
    }

    @Override
    public double[] next(int token) {
        LogitStream.checkNext(config, position, token);
        int run = gpt.forward(token, position++);
        for (int i = 0; i < logits.length; i++) logits[i] = tape.value(run + i);
        return logits;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public void reset() {
        tape.reset();
        position = 0;
    }
}
