package io.microgpt.scalar;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;

/**
 * Inference without a tape: {@link ScalarGpt#forward}'s values, computed on plain double arrays over a snapshot
 * of the weights, with the same floating-point operations in the same order (every sum from 0, left to right;
 * {@code x / n} as {@code x * n^-1}; {@code (x - max).exp()} as {@code exp(x + -max)}), so that the logits, and
 * the names sampled from them, are bit for bit those of the tape. Nothing is recorded for a backward pass; the
 * keys and values of each layer at each position are the KV cache, and a token costs one position's work.
 */
final class ScalarLogitStream extends LogitStream {
    private final ModelConfig config;
    private final double[] w;
    private final int nEmbd;
    private final int headDim;
    private final double attentionScale;
    private final double rmsInverseLength;
    private final TensorSpec wte;
    private final TensorSpec wpe;
    private final TensorSpec lmHead;
    private final TensorSpec[][] layers;   // per layer: attn_wq, attn_wk, attn_wv, attn_wo, mlp_fc1, mlp_fc2

    /** KV cache: [layer][position * nEmbd + i]. */
    private final double[][] keys;
    private final double[][] values;
    private final double[] x;
    private final double[] residual;
    private final double[] normed;
    private final double[] query;
    private final double[] attended;
    private final double[] hidden;
    private final double[] scores;

    /** A stream over a copy of the first {@code ParameterLayout.size()} values of {@code weights}. */
    ScalarLogitStream(ModelConfig config, double[] weights) {
        super(config);
        ParameterLayout layout = new ParameterLayout(config);
        this.config = config;
        this.w = java.util.Arrays.copyOf(weights, layout.size());
        this.nEmbd = config.nEmbd();
        this.headDim = config.headDim();
        // the tape's constants: x / head_dim**0.5 is x * (head_dim**0.5)**-1; x / len(x) is x * len(x)**-1
        this.attentionScale = Math.pow(Math.pow(headDim, 0.5), -1);
        this.rmsInverseLength = Math.pow(nEmbd, -1);
        this.wte = layout.tensor("wte");
        this.wpe = layout.tensor("wpe");
        this.lmHead = layout.tensor("lm_head");
        String[] kinds = {"attn_wq", "attn_wk", "attn_wv", "attn_wo", "mlp_fc1", "mlp_fc2"};
        this.layers = new TensorSpec[config.nLayer()][kinds.length];
        for (int li = 0; li < layers.length; li++) {
            for (int k = 0; k < kinds.length; k++) layers[li][k] = layout.tensor(ParameterLayout.layerName(li, kinds[k]));
        }
        int block = config.blockSize();
        this.keys = new double[layers.length][block * nEmbd];
        this.values = new double[layers.length][block * nEmbd];
        this.x = new double[nEmbd];
        this.residual = new double[nEmbd];
        this.normed = new double[nEmbd];
        this.query = new double[nEmbd];
        this.attended = new double[nEmbd];
        this.hidden = new double[config.mlpDim()];
        this.scores = new double[block];
    }

    @Override
    protected void compute(int token, int pos, double[] logits) {
        for (int i = 0; i < nEmbd; i++) x[i] = w[wte.index(token, i)] + w[wpe.index(pos, i)];   // joint embedding
        rmsnorm(x, x);
        for (int li = 0; li < layers.length; li++) {
            TensorSpec[] layer = layers[li];
            // 1) multi-head attention
            System.arraycopy(x, 0, residual, 0, nEmbd);
            rmsnorm(x, normed);
            linear(normed, layer[0], query, 0);
            linear(normed, layer[1], keys[li], pos * nEmbd);
            linear(normed, layer[2], values[li], pos * nEmbd);
            int positions = pos + 1;
            for (int h = 0; h < config.nHead(); h++) {
                int hs = h * headDim;
                for (int t = 0; t < positions; t++) {
                    double s = 0;
                    for (int j = 0; j < headDim; j++) s += query[hs + j] * keys[li][t * nEmbd + hs + j];
                    scores[t] = s * attentionScale;
                }
                softmax(scores, positions);
                for (int j = 0; j < headDim; j++) {
                    double s = 0;
                    for (int t = 0; t < positions; t++) s += scores[t] * values[li][t * nEmbd + hs + j];
                    attended[hs + j] = s;
                }
            }
            linear(attended, layer[3], x, 0);
            for (int i = 0; i < nEmbd; i++) x[i] = x[i] + residual[i];
            // 2) MLP
            System.arraycopy(x, 0, residual, 0, nEmbd);
            rmsnorm(x, normed);
            linear(normed, layer[4], hidden, 0);
            for (int i = 0; i < hidden.length; i++) hidden[i] = hidden[i] > 0 ? hidden[i] : 0;   // relu, as the tape's
            linear(hidden, layer[5], x, 0);
            for (int i = 0; i < nEmbd; i++) x[i] = x[i] + residual[i];
        }
        linear(x, lmHead, logits, 0);
    }

    /** out[offset + r] = w[r] . in, each sum from 0, left to right. */
    private void linear(double[] in, TensorSpec m, double[] out, int offset) {
        int cols = m.cols();
        for (int r = 0; r < m.rows(); r++) {
            int row = m.offset() + r * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) s += w[row + c] * in[c];
            out[offset + r] = s;
        }
    }

    /** out = in * (mean(in^2) + 1e-5)^-0.5; {@code out} may be {@code in}. */
    private void rmsnorm(double[] in, double[] out) {
        double s = 0;
        for (int i = 0; i < nEmbd; i++) s += in[i] * in[i];
        double scale = Math.pow(s * rmsInverseLength + 1e-5, -0.5);
        for (int i = 0; i < nEmbd; i++) out[i] = in[i] * scale;
    }

    /** x[0..n) = exp(x - max) / sum, in place, each division as e * total^-1. */
    private static void softmax(double[] x, int n) {
        double max = x[0];
        for (int i = 1; i < n; i++) max = Math.max(max, x[i]);
        double total = 0;
        for (int i = 0; i < n; i++) {
            x[i] = Math.exp(x[i] + -max);
            total += x[i];
        }
        double inverse = Math.pow(total, -1);
        for (int i = 0; i < n; i++) x[i] = x[i] * inverse;
    }
}
