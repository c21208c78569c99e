package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.BatchBuffers.LayerActivations;
import io.microgpt.simd.WeightGradients.LayerGradients;
import io.microgpt.simd.TensorViews.LayerViews;

import static io.microgpt.simd.Gemm.Epilogue.ADD;
import static io.microgpt.simd.Gemm.Epilogue.GATE;
import static io.microgpt.simd.Gemm.Epilogue.RELU;
import static io.microgpt.simd.Gemm.Epilogue.STORE;
import static io.microgpt.simd.Gemm.multiply;

/**
 * One transformer block over a range of rows, forward and backward:
 * <pre>
 * mid = in  + attention(rmsnorm(in)) wo^T
 * out = mid + relu(rmsnorm(mid) fc1^T) fc2^T
 * </pre>
 * Stateless but for the shape and the weights' views: threads may share one instance, each call touching only the
 * rows, heads and weight-gradient outputs it is given.
 */
final class TransformerBlock {
    private final int index;
    private final int nEmbd;
    private final int mlpDim;
    private final int heads;
    private final int headDim;
    private final LayerViews weights;
    private final LayerViews transposed;
    private final CausalAttention attention;
    private final PhaseClock clock;

    TransformerBlock(int index, ModelConfig config, SimdWeights w, PhaseClock clock) {
        this.index = index;
        this.nEmbd = config.nEmbd();
        this.mlpDim = config.mlpDim();
        this.heads = config.nHead();
        this.headDim = config.headDim();
        this.weights = w.master.layers()[index];
        this.transposed = w.transposed[index];
        this.attention = new CausalAttention(config);
        this.clock = clock;
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
        clock.mark(Phase.RMSNORM_FORWARD);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wq(), a.q, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wk(), a.k, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wv(), a.v, STORE, null);
        clock.mark(Phase.QKV_FORWARD);
    }

    /** Attention of heads [h0, h1) for the whole documents of rows [from, to) (their q, k, v computed). */
    void attend(BatchBuffers b, int from, int to, int h0, int h1, AttentionScratch scratch) {
        attention.forward(b, b.layers[index], from, to, h0, h1, scratch);
        clock.mark(Phase.ATTENTION_FORWARD);
    }

    /** Forward after attention, row by row (rows [from, to), every head attended): wo, the residual, the MLP. */
    void forwardFromAttention(BatchBuffers b, int from, int to) {
        LayerActivations a = b.layers[index];
        multiply(a.attended, from, to, nEmbd, transposed.wo(), a.mid, ADD, b.stream[index]);
        clock.mark(Phase.WO_FORWARD);
        RmsNorm.forward(a.mid, from, to, nEmbd, a.mlpNormed, a.mlpScale);
        clock.mark(Phase.RMSNORM_FORWARD);
        multiply(a.mlpNormed, from, to, nEmbd, transposed.fc1(), a.hidden, RELU, null);
        clock.mark(Phase.FC1_FORWARD);
        multiply(a.hidden, from, to, mlpDim, transposed.fc2(), b.stream[index + 1], ADD, a.mid);
        clock.mark(Phase.FC2_FORWARD);
    }

    /**
     * Given dL/d(out) in b.gradStream for rows [from, to) (whole documents), puts this block's weight gradients into
     * {@code g} and leaves dL/d(in) in b.gradStream (dL/d(mid) passes through it in place); each weight gradient right
     * after the gradient it needs. A schedule that runs the steps phase by phase ({@link PhaseSchedule}) calls them in
     * another order: the row-wise steps of some rows need no other rows, the weight gradients need every row.
     */
    void backward(BatchBuffers b, LayerGradients g, int from, int to, AttentionScratch scratch) {
        fc2Gradient(b, g);
        hiddenGradient(b, from, to);
        fc1Gradient(b, g);
        midGradient(b, from, to, b.gradStream);
        woGradient(b, g);
        attendedGradient(b, from, to, b.gradStream);
        backwardThroughAttention(b, from, to, 0, heads, scratch);
        qkvGradients(b, g);
        inputGradient(b, from, to, b.gradStream);
    }

    /**
     * Rows [r0, r1), from dL/d(out) in b.gradStream: dL/dh in b.gradHidden, dL/d(mid) into {@code gradMid}
     * (b.gradStream itself, or another buffer: b.gradStream is then left as it was) and dL/dattended.
     */
    void backwardRowsToAttention(BatchBuffers b, int r0, int r1, Matrix gradMid) {
        hiddenGradient(b, r0, r1);
        midGradient(b, r0, r1, gradMid);
        attendedGradient(b, r0, r1, gradMid);
    }

    /** dL/dfc2, dL/dfc1 and dL/dwo. */
    void mlpAndWoGradients(BatchBuffers b, LayerGradients g) {
        fc2Gradient(b, g);
        fc1Gradient(b, g);
        woGradient(b, g);
    }

    /** dL/dfc2. */
    void fc2Gradient(BatchBuffers b, LayerGradients g) {
        // out = mid + hidden fc2^T  =>  dL/dfc2 += dOut^T hidden
        g.fc2().add(b.layers[index].hidden);
        clock.mark(Phase.FC2_DW);
    }

    /** dL/dh for rows [r0, r1), h being the MLP's hidden layer before the ReLU. */
    void hiddenGradient(BatchBuffers b, int r0, int r1) {
        // out = mid + hidden fc2^T  =>  dL/dhidden = dOut fc2,  dL/dmid = dOut + ...
        // hidden = relu(h)  =>  dL/dh = dL/dhidden * [h > 0]  (and h > 0 exactly where hidden > 0)
        multiply(b.gradStream, r0, r1, nEmbd, weights.fc2(), b.gradHidden, GATE, b.layers[index].hidden);
        clock.mark(Phase.FC2_DX);
    }

    /** dL/dfc1. */
    void fc1Gradient(BatchBuffers b, LayerGradients g) {
        // h = mlpNormed fc1^T  =>  dL/dfc1 += dh^T mlpNormed
        g.fc1().add(b.layers[index].mlpNormed);
        clock.mark(Phase.FC1_DW);
    }

    /** dL/dmlpNormed (in b.gradNormed) and dL/dmid (into {@code gradMid}, from dL/dout) for rows [r0, r1). */
    void midGradient(BatchBuffers b, int r0, int r1, Matrix gradMid) {
        LayerActivations a = b.layers[index];
        // h = mlpNormed fc1^T  =>  dL/dmlpNormed = dh fc1
        multiply(b.gradHidden, r0, r1, mlpDim, weights.fc1(), b.gradNormed, STORE, null);
        clock.mark(Phase.FC1_DX);
        // mlpNormed = rmsnorm(mid)  =>  dL/dmid = dOut + rmsnorm'(mid) dL/dmlpNormed
        if (gradMid != b.gradStream) copyRows(b.gradStream, gradMid, r0, r1);
        RmsNorm.backwardAdd(a.mid, r0, r1, nEmbd, a.mlpScale, b.gradNormed, gradMid);
        clock.mark(Phase.RMSNORM_BACKWARD);
    }

    /** dL/dwo, from dL/dmid where g's dy points (b.gradStream, or a phase schedule's buffer). */
    void woGradient(BatchBuffers b, LayerGradients g) {
        // mid = in + attended wo^T  =>  dL/dwo += dMid^T attended
        g.wo().add(b.layers[index].attended);
        clock.mark(Phase.WO_DW);
    }

    /** dL/dattended for rows [r0, r1), dL/dmid in {@code gradMid}. */
    void attendedGradient(BatchBuffers b, int r0, int r1, Matrix gradMid) {
        // mid = in + attended wo^T  =>  dL/dattended = dMid wo,  dL/din = dMid + ...
        multiply(gradMid, r0, r1, nEmbd, weights.wo(), b.gradAttended, STORE, null);
        clock.mark(Phase.WO_DX);
    }

    /**
     * dL/dq, dL/dk, dL/dv of heads [h0, h1) for the whole documents of rows [from, to), their subnormal values
     * flushed to 0 ({@link Subnormals}: the products that read them would each cost a microcode assist).
     */
    void backwardThroughAttention(BatchBuffers b, int from, int to, int h0, int h1, AttentionScratch scratch) {
        attention.backward(b, b.layers[index], from, to, h0, h1, scratch);
        clock.mark(Phase.ATTENTION_BACKWARD);
        int c0 = h0 * headDim;
        int c1 = h1 * headDim;
        Subnormals.flush(b.gradQ, from, to, c0, c1);
        Subnormals.flush(b.gradK, from, to, c0, c1);
        Subnormals.flush(b.gradV, from, to, c0, c1);
        clock.mark(Phase.SUBNORMAL_FLUSH);
    }

    /** dL/dwq, dL/dwk, dL/dwv. */
    void qkvGradients(BatchBuffers b, LayerGradients g) {
        // q = attnNormed wq^T (k, v alike)  =>  dL/dwq += dq^T attnNormed
        Matrix x = b.layers[index].attnNormed;
        g.wq().add(x);
        g.wk().add(x);
        g.wv().add(x);
        clock.mark(Phase.QKV_DW);
    }

    /** dL/dattnNormed (in b.gradNormed) and dL/din (into b.gradStream, from dL/dmid in {@code gradMid}) for rows [r0, r1). */
    void inputGradient(BatchBuffers b, int r0, int r1, Matrix gradMid) {
        LayerActivations a = b.layers[index];
        // q = attnNormed wq^T (k, v alike)  =>  dL/dattnNormed = dq wq + dk wk + dv wv
        multiply(b.gradQ, r0, r1, nEmbd, weights.wq(), b.gradNormed, STORE, null);
        multiply(b.gradK, r0, r1, nEmbd, weights.wk(), b.gradNormed, ADD, b.gradNormed);
        multiply(b.gradV, r0, r1, nEmbd, weights.wv(), b.gradNormed, ADD, b.gradNormed);
        clock.mark(Phase.QKV_DX);
        // attnNormed = rmsnorm(in)  =>  dL/din = dMid + rmsnorm'(in) dL/dattnNormed
        if (gradMid != b.gradStream) copyRows(gradMid, b.gradStream, r0, r1);
        RmsNorm.backwardAdd(b.stream[index], r0, r1, nEmbd, a.attnScale, b.gradNormed, b.gradStream);
        clock.mark(Phase.RMSNORM_BACKWARD);
    }

    /** to[r] = from[r] for rows [r0, r1) (the same strides). */
    private void copyRows(Matrix from, Matrix to, int r0, int r1) {
        System.arraycopy(from.data(), from.row(r0), to.data(), to.row(r0), (r1 - r0) * from.stride());
    }
}
