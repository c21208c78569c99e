package io.microgpt.simd;

import io.microgpt.core.spi.ParameterLayout;
import io.microgpt.core.spi.TensorSpec;
import java.util.List;

/**
 * Where the f32 engine keeps each tensor of a {@link ParameterLayout}: the same tensors in the same order, each
 * row padded with zeros to a whole number of vectors, so that every kernel streams whole vectors. The embeddings
 * (wte, wpe: rows gathered by token and position) are row-major; lm_head and every projection of the layers are
 * {@link Panels}, the layout the matrix products read them in ({@link Gemm}). Weights, gradients and both Adam
 * moments share this layout (Adam is element by element, so the order of the elements is free); the padding stays
 * 0 through every update (its gradient is 0, so its moments and its Adam step are 0).
 */
final class PaddedLayout {
    private final ParameterLayout layout;
    private final int[] offsets;
    private final boolean[] panelled;
    private final int size;

    PaddedLayout(ParameterLayout layout) {
        this.layout = layout;
        List<TensorSpec> tensors = layout.tensors();
        this.offsets = new int[tensors.size()];
        this.panelled = new boolean[tensors.size()];
        int offset = 0;
        for (int i = 0; i < tensors.size(); i++) {
            offsets[i] = offset;
            panelled[i] = panelled(tensors.get(i).name());
            offset += tensors.get(i).rows() * VectorKernels.padded(tensors.get(i).cols());
        }
        this.size = offset;
    }

    /** Whether the tensor of this name is kept in panels: all but the embeddings. */
    static boolean panelled(String name) {
        return !name.equals("wte") && !name.equals("wpe");
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

    /** The named row-major tensor (an embedding) as a view into {@code data} (a buffer in this layout). */
    Matrix matrix(float[] data, String name) {
        TensorSpec t = layout.tensor(name);
        int i = layout.tensors().indexOf(t);
        if (panelled[i]) throw new IllegalArgumentException(name + " is kept in panels: use panels(data, name)");
        return new Matrix(data, offsets[i], VectorKernels.padded(t.cols()));
    }

    /** The named tensor kept in panels (lm_head, a projection) as a view into {@code data}. */
    Panels panels(float[] data, String name) {
        TensorSpec t = layout.tensor(name);
        int i = layout.tensors().indexOf(t);
        if (!panelled[i]) throw new IllegalArgumentException(name + " is row-major: use matrix(data, name)");
        return new Panels(data, offsets[i], t.rows(), VectorKernels.padded(t.cols()));
    }

    /** Where element [r, c] of tensor i is in a buffer in this layout. */
    int index(int i, int r, int c) {
        int width = VectorKernels.padded(layout.tensors().get(i).cols());
        if (!panelled[i]) return offsets[i] + r * width + c;
        int rows = layout.tensors().get(i).rows();
        int p = c / Gemm.PANEL;
        return offsets[i] + p * rows * Gemm.PANEL + r * Math.min(Gemm.PANEL, width - p * Gemm.PANEL) + c % Gemm.PANEL;
    }

    /** Copies reference-order doubles into this layout as floats (rounded to nearest); padding set to 0. */
    void toPadded(double[] flat, float[] padded) {
        java.util.Arrays.fill(padded, 0f);
        List<TensorSpec> tensors = layout.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            for (int r = 0; r < t.rows(); r++) {
                for (int c = 0; c < t.cols(); c++) padded[index(i, r, c)] = (float) flat[t.index(r, c)];
            }
        }
    }

    /** Copies this layout's floats out into reference order as doubles (exactly), dropping the padding. */
    void fromPadded(float[] padded, double[] flat) {
        List<TensorSpec> tensors = layout.tensors();
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            for (int r = 0; r < t.rows(); r++) {
                for (int c = 0; c < t.cols(); c++) flat[t.index(r, c)] = padded[index(i, r, c)];
            }
        }
    }
}
