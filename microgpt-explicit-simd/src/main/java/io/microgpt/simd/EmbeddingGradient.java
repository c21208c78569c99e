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

    /** grad.wte += wte, grad.wpe += wpe (both stored contiguously, in {@link PaddedLayout}'s order). */
    void addTo(TensorViews grad) {
        int wteSize = wpe.offset();
        VectorKernels.add(grad.wte().data(), grad.wte().offset(), data, 0, grad.wte().data(), grad.wte().offset(), wteSize);
        VectorKernels.add(grad.wpe().data(), grad.wpe().offset(), data, wteSize, grad.wpe().data(), grad.wpe().offset(),
                data.length - wteSize);
    }
}
