package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * A phase of a one-thread training step, as {@link PhaseClock} times it: each ends where the serial schedule's code
 * marks it, and takes the time since the mark before. A product's three phases are its forward (y = x W^T), dx
 * (dL/dx = dL/dy W) and dW (dL/dW += dL/dy^T x); the ReLU has no phase of its own (it is fc1's forward epilogue and
 * fc2's dx epilogue).
 */
enum Phase {
    BATCH("the batch laid out as rows (and the chunk's loss summed)"),
    EMBEDDING_FORWARD("wte[token] + wpe[position]"),
    RMSNORM_FORWARD("every RMSNorm, forward"),
    QKV_FORWARD("q, k, v projections"),
    ATTENTION_FORWARD("attention (scores, softmax, weighted sum)"),
    WO_FORWARD("wo projection and its residual"),
    FC1_FORWARD("fc1 and the ReLU"),
    FC2_FORWARD("fc2 and its residual"),
    LM_HEAD_FORWARD("lm_head"),
    CROSS_ENTROPY("softmax, loss and dL/dlogits"),
    LM_HEAD_DW("dL/dlm_head"),
    LM_HEAD_DX("dL/dx through lm_head"),
    FC2_DW("dL/dfc2"),
    FC2_DX("dL/dhidden through fc2, gated by the ReLU"),
    FC1_DW("dL/dfc1"),
    FC1_DX("dL/dx through fc1"),
    RMSNORM_BACKWARD("every RMSNorm, backward"),
    WO_DW("dL/dwo"),
    WO_DX("dL/dattended through wo"),
    ATTENTION_BACKWARD("attention backward"),
    SUBNORMAL_FLUSH("dq, dk, dv subnormals flushed to 0"),
    QKV_DW("dL/dwq, dL/dwk, dL/dwv"),
    QKV_DX("dL/dx through q, k, v"),
    EMBEDDING_BACKWARD("dL/dwte, dL/dwpe"),
    ADAM("Adam (and the gradient's norm when clipping)"),
    TRANSPOSED_REFRESH("the transposed weight copies rebuilt after Adam");

    /** The phases in order (one array, not one per call). */
    static final Phase[] ALL = values();

    /** What the phase computes. */
    final String meaning;

    Phase(String meaning) {
        this.meaning = meaning;
    }

    /**
     * Multiply-add FLOPs (2 per multiply-add, unpadded widths) of this phase in a step of {@code rows} trained
     * positions, {@code attended} of them attended to summed over positions (the sum of t + 1): the counts of
     * {@link io.microgpt.core.TrainingFlops}, phase by phase; 0 for a phase without products.
     */
    double flops(ModelConfig c, long rows, long attended) {
        double d = c.nEmbd();
        double layers = c.nLayer();
        double attention = layers * 4.0 * c.nHead() * c.headDim() * attended;
        return switch (this) {
            case QKV_FORWARD, QKV_DX, QKV_DW -> layers * 2 * rows * 3 * d * d;
            case WO_FORWARD, WO_DX, WO_DW -> layers * 2 * rows * d * d;
            case FC1_FORWARD, FC1_DX, FC1_DW, FC2_FORWARD, FC2_DX, FC2_DW -> layers * 2 * rows * d * c.mlpDim();
            case LM_HEAD_FORWARD, LM_HEAD_DX, LM_HEAD_DW -> 2.0 * rows * d * c.vocabSize();
            case ATTENTION_FORWARD -> attention;
            case ATTENTION_BACKWARD -> 2 * attention;
            default -> 0;
        };
    }
}
