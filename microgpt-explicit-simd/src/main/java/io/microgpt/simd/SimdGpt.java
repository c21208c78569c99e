package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

import static io.microgpt.simd.Gemm.Epilogue.STORE;

/**
 * The GPT in f32 (the twin of the scalar backend's {@code ScalarGpt}): over a range of rows, the embeddings and their
 * norm, the blocks, the lm_head forward; and backward through all of it into the weight gradients.
 *
 * <p>Threads may share one instance: it holds only the shape and the weights, which a step reads and does not write.
 * A call touches only the rows it is given (and their documents' earlier rows, read), the {@link AttentionScratch} and
 * {@link EmbeddingGradient} it is given, and the outputs and columns of the {@link WeightGradients} it is given.
 */
final class SimdGpt {
    private final int nEmbd;
    private final int width;
    private final int vocab;
    private final SimdWeights weights;
    private final TransformerBlock[] blocks;
    private final PhaseClock clock;

    SimdGpt(SimdWeights weights) {
        this(weights, PhaseClock.OFF);
    }

    /** With a clock the phases mark (used by one thread only, unless it is {@link PhaseClock#OFF}). */
    SimdGpt(SimdWeights weights, PhaseClock clock) {
        ModelConfig config = weights.config();
        this.nEmbd = config.nEmbd();
        this.width = VectorKernels.padded(nEmbd);
        this.vocab = config.vocabSize();
        this.weights = weights;
        this.blocks = new TransformerBlock[config.nLayer()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new TransformerBlock(i, config, weights, clock);
        this.clock = clock;
    }

    /** The logits of rows [from, to) (earlier rows of their documents must already be computed). */
    void forward(BatchBuffers b, int from, int to, AttentionScratch scratch) {
        forwardEmbeddings(b, from, to);
        for (TransformerBlock block : blocks) block.forward(b, from, to, scratch);
        forwardLogits(b, from, to);
    }

    /** The blocks, for schedules that run them phase by phase. */
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
        clock.mark(Phase.EMBEDDING_FORWARD);
        RmsNorm.forward(b.embedSum, from, to, nEmbd, b.stream[0], b.embedScale);
        clock.mark(Phase.RMSNORM_FORWARD);
    }

    /** logits = stream[layers] lm_head^T for rows [from, to). */
    void forwardLogits(BatchBuffers b, int from, int to) {
        Gemm.multiply(b.stream[blocks.length], from, to, nEmbd, weights.lmHeadT, b.logits, STORE, null);
        clock.mark(Phase.LM_HEAD_FORWARD);
    }

    /**
     * Given dL/dlogits in b.logits for rows [from, to) (whole documents), puts dL/d(every weight) into {@code g}, part
     * by part: each weight matrix's gradient is summed over a part's rows in registers and added once (a part that
     * does not add writes it: no need to clear the buffer first); the embeddings' rows are first gathered in
     * {@code embeddings}, which is then added once per part. (One add per element per part is what makes the bits
     * depend on the parts only: the same whether the parts go into one buffer in turn, into their own buffers summed
     * afterwards, or each weight gradient is computed range of outputs by range.)
     */
    void backward(BatchBuffers b, WeightGradients g, int from, int to, EmbeddingGradient embeddings, AttentionScratch scratch) {
        lmHeadGradient(b, g);
        backwardRowsThroughLmHead(b, from, to);
        for (int i = blocks.length - 1; i >= 0; i--) blocks[i].backward(b, g.layers()[i], from, to, scratch);
        backwardThroughEmbeddingNorm(b, from, to);
        embeddingGradient(b, g, embeddings);
    }

    /** dL/dlm_head from dL/dlogits in b.logits. */
    void lmHeadGradient(BatchBuffers b, WeightGradients g) {
        // logits = x lm_head^T  =>  dL/dlm_head += dlogits^T x
        g.lmHead().add(b.stream[blocks.length]);
        clock.mark(Phase.LM_HEAD_DW);
    }

    /** dL/dstream[layers] into b.gradStream for rows [r0, r1), from dL/dlogits in b.logits. */
    void backwardRowsThroughLmHead(BatchBuffers b, int r0, int r1) {
        // logits = x lm_head^T  =>  dL/dx = dlogits lm_head
        Gemm.multiply(b.logits, r0, r1, vocab, weights.master.lmHead(), b.gradStream, STORE, null);
        clock.mark(Phase.LM_HEAD_DX);
    }

    /** dL/dembedSum into b.gradNormed for rows [r0, r1), from dL/dstream[0] in b.gradStream. */
    void backwardThroughEmbeddingNorm(BatchBuffers b, int r0, int r1) {
        // stream[0] = rmsnorm(embedSum)  =>  dL/dembedSum = rmsnorm'(embedSum) dL/dstream[0]
        float[] d = b.gradNormed.data();
        for (int r = r0; r < r1; r++) VectorKernels.clear(d, b.gradNormed.row(r), width);
        RmsNorm.backwardAdd(b.embedSum, r0, r1, nEmbd, b.embedScale, b.gradStream, b.gradNormed);
        clock.mark(Phase.RMSNORM_BACKWARD);
    }

    /**
     * The embeddings' gradient from dL/dembedSum in b.gradNormed, over the targets' columns: part by part, the rows
     * gathered in {@code embeddings} and then added to (or written into) the targets' buffer.
     */
    void embeddingGradient(BatchBuffers b, WeightGradients targets, EmbeddingGradient embeddings) {
        int c0 = targets.embeddingFrom();
        int c1 = targets.embeddingTo();
        if (c0 == c1) return;
        RowParts parts = targets.parts();
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
            embeddings.writeTo(targets.target(), parts.adds(i), c0, c1);
        }
        clock.mark(Phase.EMBEDDING_BACKWARD);
    }
}
