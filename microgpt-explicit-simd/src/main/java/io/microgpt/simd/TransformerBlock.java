package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import io.microgpt.simd.BatchBuffers.LayerActivations;
import io.microgpt.simd.TensorViews.LayerViews;

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
 * Stateless but for the shape and the weights' views: threads share one instance, each on its own rows.
 */
final class TransformerBlock {
    private final int index;
    private final int nEmbd;
    private final int mlpDim;
    private final int width;
    private final int mlpWidth;
    private final LayerViews weights;
    private final LayerViews transposed;
    private final CausalAttention attention;

    TransformerBlock(int index, ModelConfig config, SimdWeights w) {
        this.index = index;
        this.nEmbd = config.nEmbd();
        this.mlpDim = config.mlpDim();
        this.width = VectorKernels.padded(nEmbd);
        this.mlpWidth = VectorKernels.padded(mlpDim);
        this.weights = w.master.layers()[index];
        this.transposed = w.transposed[index];
        this.attention = new CausalAttention(config);
    }

    /** stream[index + 1] from stream[index] for rows [from, to), keeping what backward needs. */
    void forward(BatchBuffers b, int from, int to, AttentionScratch scratch) {
        LayerActivations a = b.layers[index];
        Matrix in = b.stream[index];
        Matrix out = b.stream[index + 1];
        RmsNorm.forward(in, from, to, nEmbd, a.attnNormed, a.attnScale);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wq(), width, a.q, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wk(), width, a.k, STORE, null);
        multiply(a.attnNormed, from, to, nEmbd, transposed.wv(), width, a.v, STORE, null);
        attention.forward(b, a, from, to, scratch);
        multiply(a.attended, from, to, nEmbd, transposed.wo(), width, a.mid, ADD, in);
        RmsNorm.forward(a.mid, from, to, nEmbd, a.mlpNormed, a.mlpScale);
        multiply(a.mlpNormed, from, to, nEmbd, transposed.fc1(), mlpWidth, a.hidden, RELU, null);
        multiply(a.hidden, from, to, mlpDim, transposed.fc2(), width, out, ADD, a.mid);
    }

    /**
     * Given dL/d(out) in b.gradStream for rows [from, to) (whole documents), adds this block's weight
     * gradients into {@code grad} (or, unless {@code add}, writes them there) and leaves dL/d(in) in
     * b.gradStream.
     */
    void backward(BatchBuffers b, LayerViews grad, int from, int to, boolean add, AttentionScratch scratch) {
        LayerActivations a = b.layers[index];
        Matrix in = b.stream[index];
        Matrix dStream = b.gradStream;
        // out = mid + hidden fc2^T  =>  dL/dfc2 += dOut^T hidden,  dL/dhidden = dOut fc2,  dL/dmid = dOut + ...
        outerProducts(dStream, from, to, nEmbd, a.hidden, mlpWidth, grad.fc2(), add);
        // hidden = relu(h)  =>  dL/dh = dL/dhidden * [h > 0]  (and h > 0 exactly where hidden > 0)
        multiply(dStream, from, to, nEmbd, weights.fc2(), mlpWidth, b.gradHidden, GATE, a.hidden);
        // h = mlpNormed fc1^T  =>  dL/dfc1 += dh^T mlpNormed,  dL/dmlpNormed = dh fc1
        outerProducts(b.gradHidden, from, to, mlpDim, a.mlpNormed, width, grad.fc1(), add);
        multiply(b.gradHidden, from, to, mlpDim, weights.fc1(), width, b.gradNormed, STORE, null);
        // mlpNormed = rmsnorm(mid)  =>  dL/dmid += rmsnorm'(mid) dL/dmlpNormed
        RmsNorm.backwardAdd(a.mid, from, to, nEmbd, a.mlpScale, b.gradNormed, dStream);
        // mid = in + attended wo^T  =>  dL/dwo += dMid^T attended,  dL/dattended = dMid wo,  dL/din = dMid + ...
        outerProducts(dStream, from, to, nEmbd, a.attended, width, grad.wo(), add);
        multiply(dStream, from, to, nEmbd, weights.wo(), width, b.gradAttended, STORE, null);
        attention.backward(b, a, from, to, scratch);
        // q = attnNormed wq^T (k, v alike)  =>  dL/dwq += dq^T attnNormed,  dL/dattnNormed = dq wq + dk wk + dv wv
        outerProducts(b.gradQ, from, to, nEmbd, a.attnNormed, width, grad.wq(), add);
        outerProducts(b.gradK, from, to, nEmbd, a.attnNormed, width, grad.wk(), add);
        outerProducts(b.gradV, from, to, nEmbd, a.attnNormed, width, grad.wv(), add);
        multiply(b.gradQ, from, to, nEmbd, weights.wq(), width, b.gradNormed, STORE, null);
        multiply(b.gradK, from, to, nEmbd, weights.wk(), width, b.gradNormed, ADD, b.gradNormed);
        multiply(b.gradV, from, to, nEmbd, weights.wv(), width, b.gradNormed, ADD, b.gradNormed);
        // attnNormed = rmsnorm(in)  =>  dL/din += rmsnorm'(in) dL/dattnNormed
        RmsNorm.backwardAdd(in, from, to, nEmbd, a.attnScale, b.gradNormed, dStream);
    }
}
