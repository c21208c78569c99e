package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

import static io.microgpt.simd.VectorKernels.Epilogue.STORE;

/**
 * The whole model over a range of rows: embeddings and their norm, the blocks, the lm_head; and backward
 * through all of it into a gradient buffer.
 *
 * <p>Threads share one instance: it holds only the shape and the weights, which a step reads and does not
 * write. Its safety rests on each thread passing its own rows (a shard of whole documents, whose activations
 * in {@link BatchBuffers} no other thread touches), its own {@link AttentionScratch}, and its own gradient and
 * {@link EmbeddingGradient} buffers.
 */
final class GptPass {
    private final int nEmbd;
    private final int width;
    private final int vocab;
    private final int vocabWidth;
    private final SimdWeights weights;
    private final TransformerBlock[] blocks;

    GptPass(SimdWeights weights) {
        ModelConfig config = weights.config();
        this.nEmbd = config.nEmbd();
        this.width = VectorKernels.padded(nEmbd);
        this.vocab = config.vocabSize();
        this.vocabWidth = VectorKernels.padded(vocab);
        this.weights = weights;
        this.blocks = new TransformerBlock[config.nLayer()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new TransformerBlock(i, config, weights);
    }

    /** The logits of rows [from, to) (earlier rows of their documents must already be computed). */
    void forward(BatchBuffers b, int from, int to, AttentionScratch scratch) {
        TensorViews w = weights.master;
        float[] wv = w.wte().data();
        float[] sum = b.embedSum.data();
        for (int r = from; r < to; r++) {
            VectorKernels.add(wv, w.wte().row(b.token[r]), wv, w.wpe().row(b.position[r]), sum, b.embedSum.row(r), width);
        }
        RmsNorm.forward(b.embedSum, from, to, nEmbd, b.stream[0], b.embedScale);
        for (TransformerBlock block : blocks) block.forward(b, from, to, scratch);
        VectorKernels.multiply(b.stream[blocks.length], from, to, nEmbd, weights.lmHeadT, vocabWidth, b.logits, STORE, null);
    }

    /**
     * Given dL/dlogits in b.logits for rows [from, to) (whole documents), adds dL/d(every weight) into
     * {@code grad} (or, unless {@code add}, writes it there: no need to clear grad first): each weight
     * matrix's gradient is summed over the rows in registers and added to {@code grad} once; the embeddings'
     * rows are first gathered in {@code embeddings}, which is then added once. (One add per element per call is
     * what makes a batch cut into shards sum the same way whether the shards go into one buffer in turn or into
     * their own buffers summed afterwards.)
     */
    void backward(BatchBuffers b, TensorViews grad, int from, int to, EmbeddingGradient embeddings, boolean add,
                  AttentionScratch scratch) {
        TensorViews w = weights.master;
        Matrix top = b.stream[blocks.length];
        // logits = x lm_head^T  =>  dL/dlm_head += dlogits^T x,  dL/dx = dlogits lm_head
        VectorKernels.outerProducts(b.logits, from, to, vocab, top, width, grad.lmHead(), add);
        VectorKernels.multiply(b.logits, from, to, vocab, w.lmHead(), width, b.gradStream, STORE, null);
        for (int i = blocks.length - 1; i >= 0; i--) blocks[i].backward(b, grad.layers()[i], from, to, add, scratch);
        // stream[0] = rmsnorm(embedSum)  =>  dL/dembedSum = rmsnorm'(embedSum) dL/dstream[0]
        float[] d = b.gradNormed.data();
        for (int r = from; r < to; r++) VectorKernels.clear(d, b.gradNormed.row(r), width);
        RmsNorm.backwardAdd(b.embedSum, from, to, nEmbd, b.embedScale, b.gradStream, b.gradNormed);
        // embedSum = wte[token] + wpe[position]  =>  dL/dwte[token] += dL/dembedSum, dL/dwpe[position] too
        embeddings.clear();
        float[] g = embeddings.data();
        for (int r = from; r < to; r++) {
            int di = b.gradNormed.row(r);
            int ti = embeddings.wte().row(b.token[r]);
            int pi = embeddings.wpe().row(b.position[r]);
            VectorKernels.add(g, ti, d, di, g, ti, width);
            VectorKernels.add(g, pi, d, di, g, pi, width);
        }
        embeddings.writeTo(grad, add);
    }
}
