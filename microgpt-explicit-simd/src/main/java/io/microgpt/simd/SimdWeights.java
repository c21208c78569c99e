package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;

/**
 * The f32 weights: the master copy in {@link PaddedLayout} (what Adam updates and backward multiplies by,
 * rows = outputs), and a transposed copy of every projection [inputs x outputs] for the forward pass, whose
 * inner loop then streams contiguous output vectors. {@link #refreshTransposed()} after every update.
 */
final class SimdWeights {
    private final ModelConfig config;
    private final PaddedLayout layout;
    /** The master weights, in {@link PaddedLayout}. */
    final float[] values;
    /** Views of {@link #values}. */
    final TensorViews master;
    /** lm_head transposed: [n_embd x vocab]. */
    final Matrix lmHeadT;
    /** Per layer, each projection transposed: [inputs x outputs]. */
    final TensorViews.LayerViews[] transposed;
    private final Matrix[] sources;
    private final Matrix[] targets;
    private final int[] sourceRows;
    private final int[] sourceCols;
    /** Per copy: 0, stride, 2 stride, ... (LANES entries), the source offsets one gathered vector reads. */
    private final int[][] gatherOffsets;

    SimdWeights(PaddedLayout layout) {
        this.config = layout.layout().config();
        this.layout = layout;
        this.values = new float[layout.size()];
        this.master = TensorViews.of(layout, values);
        int e = config.nEmbd();
        int f = config.mlpDim();
        int v = config.vocabSize();
        int layers = config.nLayer();
        int count = 1 + 6 * layers;
        sources = new Matrix[count];
        targets = new Matrix[count];
        sourceRows = new int[count];
        sourceCols = new int[count];
        gatherOffsets = new int[count][];
        int ep = VectorKernels.padded(e);
        int fp = VectorKernels.padded(f);
        int vp = VectorKernels.padded(v);
        float[] t = new float[e * vp + layers * (4 * e * ep + e * fp + f * ep)];
        int[] offset = {0};
        lmHeadT = transposeOf(0, master.lmHead(), v, e, t, offset);
        transposed = new TensorViews.LayerViews[layers];
        for (int i = 0; i < layers; i++) {
            TensorViews.LayerViews m = master.layers()[i];
            int k = 1 + 6 * i;
            transposed[i] = new TensorViews.LayerViews(
                    transposeOf(k, m.wq(), e, e, t, offset),
                    transposeOf(k + 1, m.wk(), e, e, t, offset),
                    transposeOf(k + 2, m.wv(), e, e, t, offset),
                    transposeOf(k + 3, m.wo(), e, e, t, offset),
                    transposeOf(k + 4, m.fc1(), f, e, t, offset),
                    transposeOf(k + 5, m.fc2(), e, f, t, offset));
        }
    }

    private Matrix transposeOf(int slot, Matrix source, int rows, int cols, float[] data, int[] offset) {
        Matrix target = new Matrix(data, offset[0], VectorKernels.padded(rows));
        offset[0] += cols * target.stride();
        sources[slot] = source;
        targets[slot] = target;
        sourceRows[slot] = rows;
        sourceCols[slot] = cols;
        gatherOffsets[slot] = new int[VectorKernels.LANES];
        for (int i = 0; i < VectorKernels.LANES; i++) gatherOffsets[slot][i] = i * source.stride();
        return target;
    }

    /** The layout of {@link #values}. */
    PaddedLayout layout() {
        return layout;
    }

    /** The model shape. */
    ModelConfig config() {
        return config;
    }

    /** Rewrites every transposed copy from the master weights. */
    void refreshTransposed() {
        for (int s = 0; s < sources.length; s++) refreshTransposed(s);
    }

    /**
     * The transposed copy of tensor {@code tensor} (its index in the layout), or -1: the embeddings have none;
     * lm_head and the layers' projections, which follow them in layout order, have one each.
     */
    static int transposedOf(int tensor) {
        return tensor >= 2 ? tensor - 2 : -1;
    }

    /**
     * Rewrites transposed copy {@code s}: target[c, r] = source[r, c]. Where it pays, by {@link BlockTranspose}'s 8 x 8
     * blocks; else a target row's whole vectors are gathered from LANES source rows at once (the offsets of one
     * column in LANES consecutive rows are {@link #gatherOffsets}) and the rows past the last whole vector are copied
     * one by one.
     */
    void refreshTransposed(int s) {
        refreshTransposed(s, BlockTranspose.BY_EIGHT_PAYS);
    }

    /** {@link #refreshTransposed(int)} by 8 x 8 blocks or by gathers, as asked (tests compare both on any JDK). */
    void refreshTransposed(int s, boolean byEight) {
        if (byEight) {
            Matrix source = sources[s];
            Matrix target = targets[s];
            BlockTranspose.transposeByEight(source.data(), source.offset(), source.stride(), sourceRows[s], sourceCols[s],
                    target.data(), target.offset(), target.stride());
            return;
        }
        float[] from = sources[s].data();
        float[] to = targets[s].data();
        int rows = sourceRows[s];
        int cols = sourceCols[s];
        int first = sources[s].offset();
        int fromStride = sources[s].stride();
        Matrix target = targets[s];
        int[] offsets = gatherOffsets[s];
        int upper = VectorKernels.SPECIES.loopBound(rows);
        for (int r0 = 0; r0 < upper; r0 += VectorKernels.LANES) {
            int fi = first + r0 * fromStride;
            for (int c = 0; c < cols; c++) {
                FloatVector.fromArray(VectorKernels.SPECIES, from, fi + c, offsets, 0).intoArray(to, target.row(c) + r0);
            }
        }
        for (int r = upper; r < rows; r++) {
            int fi = first + r * fromStride;
            for (int c = 0; c < cols; c++) to[target.row(c) + r] = from[fi + c];
        }
    }

    /** Loads reference-order doubles and refreshes the transposed copies. */
    void load(double[] flat) {
        layout.toPadded(flat, values);
        refreshTransposed();
    }

    /** A copy (for inference streams, which must not see later updates). */
    SimdWeights copy() {
        SimdWeights w = new SimdWeights(layout);
        System.arraycopy(values, 0, w.values, 0, values.length);
        w.refreshTransposed();
        return w;
    }
}
