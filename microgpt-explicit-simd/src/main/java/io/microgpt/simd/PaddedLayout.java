package io.microgpt.simd;

import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;
import java.util.List;

/**
 * Where the f32 engine keeps each tensor of a {@link ParameterLayout}: the same tensors in the same order,
 * but each row padded with zeros to a whole number of vectors, so that every kernel streams whole vectors.
 * Weights, gradients and both Adam moments share this layout; the padding stays 0 through every update
 * (its gradient is 0, so its moments and its Adam step are 0).
 */
final class PaddedLayout {
    private final ParameterLayout layout;
    private final int[] offsets;
    private final int size;

    PaddedLayout(ParameterLayout layout) {
        this.layout = layout;
        List<TensorSpec> tensors = layout.tensors();
        this.offsets = new int[tensors.size()];
        int offset = 0;
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i] = offset;
            offset += tensors.get(i).rows() * VectorKernels.padded(tensors.get(i).cols());
        }
        this.size = offset;
    }

    /** Tensors, in {@link ParameterLayout} order. */
    int tensorCount() {
        return offsets.length;
    }

    /** Where tensor i starts in the padded buffer. */
    int start(int i) {
        return offsets[i];
    }

    /** Where tensor i ends in the padded buffer. */
    int end(int i) {
        return i + 1 < offsets.length ? offsets[i + 1] : size;
    }

    /** Floats in the padded buffer. */
    int size() {
        return size;
    }

    /** The unpadded layout. */
    ParameterLayout layout() {
        return layout;
    }

    /** The named tensor as a view into {@code data} (a buffer in this layout). */
    Matrix matrix(float[] data, String name) {
        TensorSpec t = layout.tensor(name);
        return new Matrix(data, offsets[layout.tensors().indexOf(t)], VectorKernels.padded(t.cols()));
    }

    /** Copies reference-order doubles into this layout as floats (rounded to nearest); padding set to 0. */
    void toPadded(double[] flat, float[] padded) {
        java.util.Arrays.fill(padded, 0f);
        List<TensorSpec> tensors = layout.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            int stride = VectorKernels.padded(t.cols());
            for (int r = 0; r < t.rows(); r++) {
                for (int c = 0; c < t.cols(); c++) padded[offsets[i] + r * stride + c] = (float) flat[t.index(r, c)];
            }
        }
    }

    /** Copies this layout's floats out into reference order as doubles (exactly), dropping the padding. */
    void fromPadded(float[] padded, double[] flat) {
        List<TensorSpec> tensors = layout.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            int stride = VectorKernels.padded(t.cols());
            for (int r = 0; r < t.rows(); r++) {
                for (int c = 0; c < t.cols(); c++) flat[t.index(r, c)] = padded[offsets[i] + r * stride + c];
            }
        }
    }
}
