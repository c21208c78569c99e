package io.microgpt.scalar;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;

/**
 * The reference GPT written on a {@link Tape}, operation for operation: the same values, in the same order
 * of floating-point operations. A vector is a run of consecutive tape nodes, named by its first node; the
 * parameters are the tape's leaves, so a weight row is a run of leaves too.
 */
final class ScalarGpt {
    private final ModelConfig config;
    private final Tape tape;
    private final int nEmbd;
    private final int headDim;
    private final double attentionScale;
    private final double rmsInverseLength;
    private final Matrix wte;
    private final Matrix wpe;
    private final Matrix lmHead;
    private final Layer[] layers;

    /** KV cache: first node of the key / value vector of each layer at each position. */
    private final int[][] keys;
    private final int[][] values;
    /** Scratch lists of node indices (for sums over nodes that are not consecutive). */
    private final int[] logits;
    private final int[][] headWeights;
    private final int[] gather;
    private final int[] exps;
    private final int[] positionLosses;
    private int[] documentLosses = new int[1];

    /** A weight matrix of the layout, as tape leaves: row r is the run starting at offset + r * cols. */
    private record Matrix(int offset, int rows, int cols) {
        static Matrix of(TensorSpec t) {
            return new Matrix(t.offset(), t.rows(), t.cols());
        }

        int row(int r) {
            return offset + r * cols;
        }
    }

    private record Layer(Matrix wq, Matrix wk, Matrix wv, Matrix wo, Matrix fc1, Matrix fc2) {
    }

    ScalarGpt(ModelConfig config, Tape tape) {
        this.config = config;
        this.tape = tape;
        this.nEmbd = config.nEmbd();
        this.headDim = config.headDim();
        // x / head_dim**0.5 is x * (head_dim**0.5)**-1; x / len(x) is x * len(x)**-1
        this.attentionScale = Math.pow(Math.pow(headDim, 0.5), -1);
        this.rmsInverseLength = Math.pow(nEmbd, -1);
        ParameterLayout layout = new ParameterLayout(config);
        this.wte = Matrix.of(layout.tensor("wte"));
        this.wpe = Matrix.of(layout.tensor("wpe"));
        this.lmHead = Matrix.of(layout.tensor("lm_head"));
        this.layers = new Layer[config.nLayer()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Layer(
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "attn_wq"))),
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "attn_wk"))),
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "attn_wv"))),
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "attn_wo"))),
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "mlp_fc1"))),
                    Matrix.of(layout.tensor(ParameterLayout.layerName(i, "mlp_fc2"))));
        }
        int block = config.blockSize();
        this.keys = new int[layers.length][block];
        this.values = new int[layers.length][block];
        this.logits = new int[Math.max(block, config.vocabSize())];
        this.headWeights = new int[config.nHead()][block];
        this.gather = new int[block];
        this.exps = new int[Math.max(block, config.vocabSize())];
        this.positionLosses = new int[block];
    }

    // ---- building blocks ------------------------------------------------------------------------------------

    /** [w[r] . x for each row r]: one dot node per output. */
    private int linear(int x, Matrix w) {
        int first = tape.size();
        for (int r = 0; r < w.rows(); r++) tape.dot(w.row(r), x, w.cols());
        return first;
    }

    /** [a[i] + b[i]] */
    private int add(int a, int b, int n) {
        int first = tape.size();
        for (int i = 0; i < n; i++) tape.add(a + i, b + i);
        return first;
    }

    /** x * (mean(x^2) + 1e-5)^-0.5 */
    private int rmsnorm(int x) {
        int ms = tape.mul(tape.dot(x, x, nEmbd), rmsInverseLength);
        int scale = tape.pow(tape.add(ms, 1e-5), -0.5);
        int first = tape.size();
        for (int i = 0; i < nEmbd; i++) tape.mul(x + i, scale);
        return first;
    }

    /** [relu(x[i])] */
    private int relu(int x, int n) {
        int first = tape.size();
        for (int i = 0; i < n; i++) tape.relu(x + i);
        return first;
    }

    /**
     * softmax over the nodes listed in {@code x[0..n)}: exp(x - max) / sum, written into {@code out} as node
     * indices. Each division is its own e * total^-1, as in the reference.
     */
    private void softmax(int[] x, int n, int[] out) {
        double max = maxValue(x, n);
        for (int i = 0; i < n; i++) exps[i] = tape.expOfSum(x[i], -max);
        int total = tape.sum(exps, n);
        for (int i = 0; i < n; i++) out[i] = tape.mul(exps[i], tape.pow(total, -1));
    }

    private double maxValue(int[] x, int n) {
        double max = tape.value(x[0]);
        for (int i = 1; i < n; i++) max = Math.max(max, tape.value(x[i]));
        return max;
    }

    // ---- the model --------------------------------------------------------------------------------------------

    /** The logits (a run of vocabSize nodes) for {@code token} at {@code pos}, extending the KV cache. */
    int forward(int token, int pos) {
        int x = rmsnorm(add(wte.row(token), wpe.row(pos), nEmbd));   // joint embedding, then norm
        for (int li = 0; li < layers.length; li++) {
            Layer layer = layers[li];
            // 1) multi-head attention
            int residual = x;
            x = rmsnorm(x);
            int q = linear(x, layer.wq());
            int k = linear(x, layer.wk());
            int v = linear(x, layer.wv());
            keys[li][pos] = k;
            values[li][pos] = v;
            int positions = pos + 1;
            for (int h = 0; h < config.nHead(); h++) {
                int hs = h * headDim;
                for (int t = 0; t < positions; t++) {
                    logits[t] = tape.mul(tape.dot(q + hs, keys[li][t] + hs, headDim), attentionScale);
                }
                softmax(logits, positions, headWeights[h]);
            }
            int attended = tape.size();   // the heads' outputs, concatenated
            for (int h = 0; h < config.nHead(); h++) {
                int hs = h * headDim;
                for (int j = 0; j < headDim; j++) {
                    for (int t = 0; t < positions; t++) gather[t] = values[li][t] + hs + j;
                    tape.dot(headWeights[h], gather, positions);
                }
            }
            x = add(linear(attended, layer.wo()), residual, nEmbd);
            // 2) MLP
            residual = x;
            x = relu(linear(rmsnorm(x), layer.fc1()), config.mlpDim());
            x = add(linear(x, layer.fc2()), residual, nEmbd);
        }
        return linear(x, lmHead);
    }

    /** -log softmax(logits)[target], computing only the target's probability (the others get no gradient). */
    private int crossEntropy(int logitsRun, int target) {
        int vocab = config.vocabSize();
        for (int i = 0; i < vocab; i++) logits[i] = logitsRun + i;
        double max = maxValue(logits, vocab);
        for (int i = 0; i < vocab; i++) exps[i] = tape.expOfSum(logitsRun + i, -max);
        int total = tape.sum(exps, vocab);
        int probability = tape.mul(exps[target], tape.pow(total, -1));
        return tape.neg(tape.log(probability));
    }

    /** The mean loss over a document's first min(blockSize, length - 1) positions: (1/n) * sum(losses). */
    int documentLoss(int[] tokens) {
        int n = Math.min(config.blockSize(), tokens.length - 1);
        for (int pos = 0; pos < n; pos++) {
            positionLosses[pos] = crossEntropy(forward(tokens[pos], pos), tokens[pos + 1]);
        }
        return tape.mul(tape.sum(positionLosses, n), 1.0 / n);
    }

    /** The batch loss: the document's own loss at batch 1, else (1/B) * sum of the documents' losses. */
    int batchLoss(int[][] documents) {
        if (documents.length == 1) return documentLoss(documents[0]);
        if (documentLosses.length < documents.length) documentLosses = new int[documents.length];
        for (int d = 0; d < documents.length; d++) documentLosses[d] = documentLoss(documents[d]);
        return tape.mul(tape.sum(documentLosses, documents.length), 1.0 / documents.length);
    }
}
