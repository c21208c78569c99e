package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/** The gradient of the two embedding tables from one range of rows, gathered row by row before it is added. */
final class EmbeddingGradient {
    private final float[] data;
    private final Matrix wte;
    private final Matrix wpe;

    EmbeddingGradient(ModelConfig config) {
        int stride = VectorKernels.padded(config.nEmbd());
        data = new float[(config.vocabSize() + config.blockSize()) * stride];
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

    void clear() {
        VectorKernels.clear(data, 0, data.length);
    }

    /** grad.wte += wte, grad.wpe += wpe, or (unless {@code add}) grad.wte = wte, grad.wpe = wpe. */
    void writeTo(TensorViews grad, boolean add) {
        int wteSize = wpe.offset();
        float[] g = grad.wte().data();
        if (add) {
            VectorKernels.add(g, grad.wte().offset(), data, 0, g, grad.wte().offset(), wteSize);
            VectorKernels.add(g, grad.wpe().offset(), data, wteSize, g, grad.wpe().offset(), data.length - wteSize);
        } else {
            System.arraycopy(data, 0, g, grad.wte().offset(), wteSize);
            System.arraycopy(data, wteSize, g, grad.wpe().offset(), data.length - wteSize);
        }
    }
}
