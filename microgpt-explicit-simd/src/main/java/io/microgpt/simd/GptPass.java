package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

import static io.microgpt.simd.Gemm.Epilogue.STORE;

/**
 * The whole model over a range of rows: embeddings and their norm, the blocks, the lm_head; and backward
 * through all of it into a gradient buffer.
 *
 * <p>Threads share one instance: it holds only the shape and the weights, which a step reads and does not
 * write. Its safety rests on each thread passing its own rows (a shard of whole documents, whose activations
 * in {@link BatchBuffers} no other thread touches), its own {@link AttentionScratch}, and its own gradient and
 * {@link EmbeddingGradient} buffers; or, in a pass whose phases threads split ({@link SplitPass}), on each
 * phase method touching only the thread's rows, heads, outputs and columns.
 */
final class GptPass {
    private final int nEmbd;
    private final int width;
    private final int vocab;
    private final SimdWeights weights;
    private final TransformerBlock[] blocks;

    GptPass(SimdWeights weights) {
        ModelConfig config = weights.config();
        this.nEmbd = config.nEmbd();
        this.width = VectorKernels.padded(nEmbd);
        this.vocab = config.vocabSize();
        this.weights = weights;
        this.blocks = new TransformerBlock[config.nLayer()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new TransformerBlock(i, config, weights);
    }

    /** The logits of rows [from, to) (earlier rows of their documents must already be computed). */
    void forward(BatchBuffers b, int from, int to, AttentionScratch scratch) {
        forwardEmbeddings(b, from, to);
        for (TransformerBlock block : blocks) block.forward(b, from, to, scratch);
        forwardLogits(b, from, to);
    }

    /** The blocks, for passes that split their phases. */
    TransformerBlock[] blocks() {
        return blocks;
    }

    /** stream[0] = rmsnorm(wte[token] + wpe[position]) for rows [from, to). */
    void forwardEmbeddings(BatchBuffers b, int from, int to) {
        TensorViews w = weights.master;
        float[] wv = w.wte().data();
        float[] sum = b.embedSum.data();
        for (int r = from; r < to; r++) {
            VectorKernels.add(wv, w.wte().row(b.token[r]), wv, w.wpe().row(b.position[r]), sum, b.embedSum.row(r), width);
        }
        RmsNorm.forward(b.embedSum, from, to, nEmbd, b.stream[0], b.embedScale);
    }

    /** logits = stream[layers] lm_head^T for rows [from, to). */
    void forwardLogits(BatchBuffers b, int from, int to) {
        Gemm.multiply(b.stream[blocks.length], from, to, nEmbd, weights.lmHeadT, b.logits, STORE, null);
    }

    /**
     * Given dL/dlogits in b.logits for rows [from, to) (whole documents cut into {@code parts}), adds
     * dL/d(every weight) into the buffer of {@code shares} (whole products: one thread), part by part: each weight
     * matrix's gradient is summed over a part's rows in registers and added once (a part that does not add
     * writes it: no need to clear the buffer first); the embeddings' rows are first gathered in
     * {@code embeddings}, which is then added once per part. (One add per element per part is what makes the
     * bits depend on the parts only: the same whether the parts go into one buffer in turn, into their own
     * buffers summed afterwards, or are split across threads by outputs.)
     */
    void backward(BatchBuffers b, GradientShares shares, RowParts parts, int from, int to, EmbeddingGradient embeddings,
                  AttentionScratch scratch) {
        backwardThroughLmHead(b, shares, parts, from, to);
        for (int i = blocks.length - 1; i >= 0; i--) blocks[i].backward(b, shares.layers()[i], parts, from, to, scratch);
        backwardThroughEmbeddingNorm(b, from, to);
        embeddingGradient(b, shares, parts, embeddings);
    }

    /** dL/dlm_head (the share's outputs, all rows of the parts) and dL/dstream[layers] (rows [r0, r1)). */
    void backwardThroughLmHead(BatchBuffers b, GradientShares shares, RowParts parts, int r0, int r1) {
        lmHeadGradient(b, shares, parts);
        backwardRowsThroughLmHead(b, r0, r1);
    }

    /** dL/dlm_head (the share's outputs, all rows of the parts), from dL/dlogits in b.logits. */
    void lmHeadGradient(BatchBuffers b, GradientShares shares, RowParts parts) {
        // logits = x lm_head^T  =>  dL/dlm_head += dlogits^T x
        parts.outerProducts(shares.lmHead(), b.stream[blocks.length]);
    }

    /** dL/dstream[layers] into b.gradStream for rows [r0, r1), from dL/dlogits in b.logits. */
    void backwardRowsThroughLmHead(BatchBuffers b, int r0, int r1) {
        // logits = x lm_head^T  =>  dL/dx = dlogits lm_head
        Gemm.multiply(b.logits, r0, r1, vocab, weights.master.lmHead(), b.gradStream, STORE, null);
    }

    /** dL/dembedSum into b.gradNormed for rows [r0, r1), from dL/dstream[0] in b.gradStream. */
    void backwardThroughEmbeddingNorm(BatchBuffers b, int r0, int r1) {
        // stream[0] = rmsnorm(embedSum)  =>  dL/dembedSum = rmsnorm'(embedSum) dL/dstream[0]
        float[] d = b.gradNormed.data();
        for (int r = r0; r < r1; r++) VectorKernels.clear(d, b.gradNormed.row(r), width);
        RmsNorm.backwardAdd(b.embedSum, r0, r1, nEmbd, b.embedScale, b.gradStream, b.gradNormed);
    }

    /**
     * The embeddings' gradient from dL/dembedSum in b.gradNormed, over the share's columns: part by part, the
     * rows gathered in {@code embeddings} and then added to (or written into) the shares' buffer.
     */
    void embeddingGradient(BatchBuffers b, GradientShares shares, RowParts parts, EmbeddingGradient embeddings) {
        int c0 = shares.embeddingFrom();
        int c1 = shares.embeddingTo();
        if (c0 == c1) return;
        float[] d = b.gradNormed.data();
        float[] g = embeddings.data();
        for (int i = 0; i < parts.count; i++) {
            // embedSum = wte[token] + wpe[position]  =>  dL/dwte[token] += dL/dembedSum, dL/dwpe[position] too
            embeddings.clear(c0, c1);
            for (int r = parts.start[i]; r < parts.start[i + 1]; r++) {
                int di = b.gradNormed.row(r) + c0;
                int ti = embeddings.wte().row(b.token[r]) + c0;
                int pi = embeddings.wpe().row(b.position[r]) + c0;
                VectorKernels.add(g, ti, d, di, g, ti, c1 - c0);
                VectorKernels.add(g, pi, d, di, g, pi, c1 - c0);
            }
            embeddings.writeTo(shares.target(), parts.adds(i), c0, c1);
        }
    }
}
