package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.BatchBuffers.LayerActivations;
import io.microgpt.simd.GradientShares.LayerShares;
import io.microgpt.simd.TensorViews.LayerViews;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static io.microgpt.simd.VectorKernels.Epilogue.ADD;
import static io.microgpt.simd.VectorKernels.Epilogue.GATE;
import static io.microgpt.simd.VectorKernels.Epilogue.RELU;
import static io.microgpt.simd.VectorKernels.Epilogue.STORE;
import static io.microgpt.simd.VectorKernels.multiply;
import static io.microgpt.simd.VectorKernels.outerProducts;

/**
 * One transformer block over a range of rows, forward and backward:
 * <pre>
 * mid = in  + attention(rmsnorm(in)) wo^T
 * out = mid + relu(rmsnorm(mid) fc1^T) fc2^T
 * </pre>
 * Stateless but for the shape and the weights' views: threads share one instance, each on its own rows (or,
 * in the phases of a split pass, its own rows, heads and weight-gradient outputs).
 */
final class TransformerBlock {
    private final int index;
    private final int nEmbd;
    private final int mlpDim;
    private final int width;
    private final int mlpWidth;
    private final int heads;
    private final int headDim;
    private final LayerViews weights;
    private final LayerViews transposed;
    private final CausalAttention attention;

    TransformerBlock(int index, ModelConfig config, SimdWeights w) {
        this.index = index;
        this.nEmbd = config.nEmbd();
        this.mlpDim = config.mlpDim();
        this.width = VectorKernels.padded(nEmbd);
        this.mlpWidth = VectorKernels.padded(mlpDim);
        this.heads = config.nHead();
        this.headDim = config.nEmbd() / config.nHead();
        this.weights = w.master.layers()[index];
        this.transposed = w.transposed[index];
        this.attention = new CausalAttention(config);
    }

    /** stream[index + 1] from stream[index] for rows [from, to), keeping what backward needs. */
    void forward(BatchBuffers b, int from, int to, AttentionScratch scratch) {
        forwardToAttention(b, from, to);
        attend(b, from, to, 0, heads, scratch);
        forwardFromAttention(b, from, to);
    }

    /** Forward up to attention, row by row (rows [from, to)): the norm, then q, k and v. */
    void forwardToAttention(BatchBuffers b, int from, int to) {
        LayerActivations a = b.layers[index];
        RmsNorm.forward(b.stream[index], from, to, nEmbd, a.attnNormed, a.attnScale);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wq(), width, a.q, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wk(), width, a.k, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wv(), width, a.v, STORE, null);
    }

    /** Attention of heads [h0, h1) for the whole documents of rows [from, to) (their q, k, v computed). */
    void attend(BatchBuffers b, int from, int to, int h0, int h1, AttentionScratch scratch) {
        attention.forward(b, b.layers[index], from, to, h0, h1, scratch);
    }

    /** Forward after attention, row by row (rows [from, to), every head attended): wo, the residual, the MLP. */
    void forwardFromAttention(BatchBuffers b, int from, int to) {
        LayerActivations a = b.layers[index];
        multiply(a.attended, from, to, nEmbd, transposed.wo(), width, a.mid, ADD, b.stream[index]);
        RmsNorm.forward(a.mid, from, to, nEmbd, a.mlpNormed, a.mlpScale);
        multiply(a.mlpNormed, from, to, nEmbd, transposed.fc1(), mlpWidth, a.hidden, RELU, null);
        multiply(a.hidden, from, to, mlpDim, transposed.fc2(), width, b.stream[index + 1], ADD, a.mid);
    }

    /**
     * Given dL/d(out) in b.gradStream for rows [from, to) (whole documents, cut into {@code parts}), adds this
     * block's weight gradients into the shares' buffer (written by a part that does not add) and leaves
     * dL/d(in) in b.gradStream. The five steps are the phases threads split: in each, a thread computes its
     * shares' weight-gradient rows over all the rows and its own rows of the activation gradients.
     */
    void backward(BatchBuffers b, LayerShares s, RowParts parts, int from, int to, AttentionScratch scratch) {
        backwardThroughFc2(b, s, parts, from, to);
        backwardThroughFc1(b, s, parts, from, to);
        backwardThroughWo(b, s, parts, from, to);
        backwardThroughAttention(b, from, to, 0, heads, scratch);
        backwardThroughQkv(b, s, parts, from, to);
    }

    /** Phase 1: dL/dfc2 (this share's outputs, all rows), dL/dhidden (rows [r0, r1)). */
    void backwardThroughFc2(BatchBuffers b, LayerShares s, RowParts parts, int r0, int r1) {
        LayerActivations a = b.layers[index];
        // out = mid + hidden fc2^T  =>  dL/dfc2 += dOut^T hidden,  dL/dhidden = dOut fc2,  dL/dmid = dOut + ...
        parts.outerProducts(s.fc2(), a.hidden, mlpWidth);
        // hidden = relu(h)  =>  dL/dh = dL/dhidden * [h > 0]  (and h > 0 exactly where hidden > 0)
        multiply(b.gradStream, r0, r1, nEmbd, weights.fc2(), mlpWidth, b.gradHidden, GATE, a.hidden);
    }

    /** Phase 2: dL/dfc1 (this share's outputs), dL/dmlpNormed and dL/dmid (rows [r0, r1)). */
    void backwardThroughFc1(BatchBuffers b, LayerShares s, RowParts parts, int r0, int r1) {
        LayerActivations a = b.layers[index];
        // h = mlpNormed fc1^T  =>  dL/dfc1 += dh^T mlpNormed,  dL/dmlpNormed = dh fc1
        parts.outerProducts(s.fc1(), a.mlpNormed, width);
        multiply(b.gradHidden, r0, r1, mlpDim, weights.fc1(), width, b.gradNormed, STORE, null);
        // mlpNormed = rmsnorm(mid)  =>  dL/dmid += rmsnorm'(mid) dL/dmlpNormed
        RmsNorm.backwardAdd(a.mid, r0, r1, nEmbd, a.mlpScale, b.gradNormed, b.gradStream);
    }

    /** Phase 3: dL/dwo (this share's outputs), dL/dattended (rows [r0, r1)). */
    void backwardThroughWo(BatchBuffers b, LayerShares s, RowParts parts, int r0, int r1) {
        LayerActivations a = b.layers[index];
        // mid = in + attended wo^T  =>  dL/dwo += dMid^T attended,  dL/dattended = dMid wo,  dL/din = dMid + ...
        parts.outerProducts(s.wo(), a.attended, width);
        multiply(b.gradStream, r0, r1, nEmbd, weights.wo(), width, b.gradAttended, STORE, null);
    }

    /**
     * Phase 4: dL/dq, dL/dk, dL/dv of heads [h0, h1) for the whole documents of rows [from, to), their subnormal
     * entries then set to 0. Why: attention weights can be as small as e^-87 (~1.6e-38), and such a weight times a
     * gradient falls below f32's smallest normal number (2^-126); on Intel cores every multiply or fma that reads
     * or writes a subnormal takes a microcode assist (about 100 times slower, see {@link AdamF32}), and phase 5's
     * six products read these matrices over and over (measured at n_embd 64, batch 1, after 4,000 to 20,000
     * steps: 20 to 100 of dL/dq's, dL/dk's and dL/dv's entries subnormal, and phase 5 taking 23% of a step
     * against 2% for the forward's three products of the same shape). What a flushed entry would have added to
     * a weight gradient or to dL/dx is below 2^-126 times a weight or an activation.
     */
    void backwardThroughAttention(BatchBuffers b, int from, int to, int h0, int h1, AttentionScratch scratch) {
        attention.backward(b, b.layers[index], from, to, h0, h1, scratch);
        int c0 = h0 * headDim;
        int c1 = h1 == heads ? width : h1 * headDim;   // the whole row: its padding (0) too, whole vectors
        flushSubnormals(b.gradQ, from, to, c0, c1);
        flushSubnormals(b.gradK, from, to, c0, c1);
        flushSubnormals(b.gradV, from, to, c0, c1);
    }

    /** Sets the subnormal entries of rows [from, to), columns [c0, c1) of m to 0 (a vector at a time, the rest one by one). */
    static void flushSubnormals(Matrix m, int from, int to, int c0, int c1) {
        float[] d = m.data();
        for (int r = from; r < to; r++) {
            int ri = m.row(r);
            int c = c0;
            for (; c + VectorKernels.LANES <= c1; c += VectorKernels.LANES) {
                FloatVector x = FloatVector.fromArray(VectorKernels.SPECIES, d, ri + c);
                x.blend(0f, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)).intoArray(d, ri + c);
            }
            for (; c < c1; c++) if (Math.abs(d[ri + c]) < Float.MIN_NORMAL) d[ri + c] = 0f;
        }
    }

    /** Phase 5: dL/dwq, dL/dwk, dL/dwv (this share's outputs), dL/dattnNormed and dL/din (rows [r0, r1)). */
    void backwardThroughQkv(BatchBuffers b, LayerShares s, RowParts parts, int r0, int r1) {
        LayerActivations a = b.layers[index];
        // q = attnNormed wq^T (k, v alike)  =>  dL/dwq += dq^T attnNormed,  dL/dattnNormed = dq wq + dk wk + dv wv
        parts.outerProducts(s.wq(), a.attnNormed, width);
        parts.outerProducts(s.wk(), a.attnNormed, width);
        parts.outerProducts(s.wv(), a.attnNormed, width);
        multiply(b.gradQ, r0, r1, nEmbd, weights.wq(), width, b.gradNormed, STORE, null);
        multiply(b.gradK, r0, r1, nEmbd, weights.wk(), width, b.gradNormed, ADD, b.gradNormed);
        multiply(b.gradV, r0, r1, nEmbd, weights.wv(), width, b.gradNormed, ADD, b.gradNormed);
        // attnNormed = rmsnorm(in)  =>  dL/din += rmsnorm'(in) dL/dattnNormed
        RmsNorm.backwardAdd(b.stream[index], r0, r1, nEmbd, a.attnScale, b.gradNormed, b.gradStream);
    }
}
