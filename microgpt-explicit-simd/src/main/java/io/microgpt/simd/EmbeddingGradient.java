package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * The gradient of the two embedding tables from one range of rows, gathered row by row before it is added.
 * Threads may share one, each on its own columns [c0, c1) (whole vectors).
 */
final class EmbeddingGradient {
    private final float[] data;
    private final Matrix wte;
    private final Matrix wpe;
    private final int vocab;
    private final int rows;

    EmbeddingGradient(ModelConfig config) {
        int stride = VectorKernels.padded(config.nEmbd());
        vocab = config.vocabSize();
        rows = vocab + config.blockSize();
        data = new float[rows * stride];
        wte = new Matrix(data, 0, stride);
        wpe = new Matrix(data, config.vocabSize() * stride, stride);
    }

    float[] data() {
        return data;
    }

    /** dL/dwte [vocab x n_embd]. */
    Matrix wte() {
        return wte;
    }

    /** dL/dwpe [block x n_embd]. */
    Matrix wpe() {
        return wpe;
    }

    /** Bytes held. */
    long bytes() {
        return 4L * data.length;
    }

    /** Sets columns [c0, c1) of every row to 0. */
    void clear(int c0, int c1) {
        for (int r = 0; r < rows; r++) VectorKernels.clear(data, wte.row(r) + c0, c1 - c0);
    }

    /**
     * Columns [c0, c1) of grad.wte += wte and grad.wpe += wpe, or (unless {@code add}) grad.wte = wte,
     * grad.wpe = wpe.
     */
    void writeTo(TensorViews grad, boolean add, int c0, int c1) {
        writeTo(wte, grad.wte(), vocab, add, c0, c1);
        writeTo(wpe, grad.wpe(), rows - vocab, add, c0, c1);
    }

    private static void writeTo(Matrix from, Matrix to, int rows, boolean add, int c0, int c1) {
        float[] f = from.data();
        float[] t = to.data();
        for (int r = 0; r < rows; r++) {
            int fi = from.row(r) + c0;
            int ti = to.row(r) + c0;
            if (add) VectorKernels.add(t, ti, f, fi, t, ti, c1 - c0);
            else System.arraycopy(f, fi, t, ti, c1 - c0);
        }
    }
}
