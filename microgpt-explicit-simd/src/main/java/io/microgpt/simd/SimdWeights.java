package io.microgpt.simd;

import io.microgpt.core.ModelConfig;
import jdk.incubator.vector.FloatVector;

/**
 * The f32 weights: the master copy in {@link PaddedLayout} (what Adam updates, and what backward multiplies by:
 * each projection [outputs x inputs] in {@link Panels}), and a transposed copy of every projection [inputs x
 * outputs], also in panels, for the forward pass. {@link #refreshTransposed()} after every update.
 */
final class SimdWeights {
    private final ModelConfig config;
    private final PaddedLayout layout;
    /** The master weights, in {@link PaddedLayout}. */
    final float[] values;
    /** Views of {@link #values}. */
    final TensorViews master;
    /** lm_head transposed: [n_embd x vocab]. */
    final Panels lmHeadT;
    /** Per layer, each projection transposed: [inputs x outputs]. */
    final TensorViews.LayerViews[] transposed;
    private final Panels[] sources;
    private final Panels[] targets;
    /** Real rows and columns of each source (its width is padded). */
    private final int[] sourceRows;
    private final int[] sourceCols;
    /** Per source panel width in vectors (index 1 to {@link Gemm#PANEL_VECTORS}): 0, pw, 2 pw, ... (LANES entries), the offsets one gathered vector reads. */
    private static final int[][] GATHER = gatherOffsets();

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
        sources = new Panels[count];
        targets = new Panels[count];
        sourceRows = new int[count];
        sourceCols = new int[count];
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

    private static int[][] gatherOffsets() {
        int[][] offsets = new int[Gemm.PANEL_VECTORS + 1][];
        for (int vectors = 1; vectors <= Gemm.PANEL_VECTORS; vectors++) {
            offsets[vectors] = new int[VectorKernels.LANES];
            for (int i = 0; i < VectorKernels.LANES; i++) offsets[vectors][i] = i * vectors * VectorKernels.LANES;
        }
        return offsets;
    }

    private Panels transposeOf(int slot, Panels source, int rows, int cols, float[] data, int[] offset) {
        Panels target = new Panels(data, offset[0], cols, VectorKernels.padded(rows));
        offset[0] += cols * target.width();
        sources[slot] = source;
        targets[slot] = target;
        sourceRows[slot] = rows;
        sourceCols[slot] = cols;
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
     * Rewrites transposed copy {@code s}: target[k, c] = source[c, k], panel by panel. By
     * {@link BlockTranspose#transposeInBlocks}'s register blocks where the width has them (16 and 8 lanes), else by
     * gathers.
     */
    void refreshTransposed(int s) {
        refreshTransposed(s, BlockTranspose.IN_BLOCKS_WORKS);
    }

    /** {@link #refreshTransposed(int)} by register blocks or by gathers, as asked (tests compare both). */
    void refreshTransposed(int s, boolean inBlocks) {
        if (!inBlocks) {
            refreshByGathers(s);
            return;
        }
        Panels source = sources[s];
        Panels target = targets[s];
        int rows = sourceRows[s];
        int cols = sourceCols[s];
        for (int q = 0; q < target.count(); q++) {
            int c0 = q * Gemm.PANEL;
            int n = Math.min(target.panelWidth(q), rows - c0);   // source rows in this target panel
            if (n <= 0) continue;
            for (int pk = 0; pk < source.count(); pk++) {
                int k0 = pk * Gemm.PANEL;
                int pw = source.panelWidth(pk);
                int from0 = source.panelStart(pk) + c0 * pw;
                int to0 = target.panelStart(q) + k0 * target.panelWidth(q);
                BlockTranspose.transposeInBlocks(source.data(), from0, pw, n, Math.min(pw, cols - k0), target.data(), to0, target.panelWidth(q));
            }
        }
    }

    /**
     * A target row's whole vectors gathered from LANES source rows at once (one column of LANES consecutive rows of
     * a source panel of pw floats lies pw apart: {@link #GATHER}); the source rows past the last whole vector are
     * copied one by one.
     */
    private void refreshByGathers(int s) {
        Panels source = sources[s];
        Panels target = targets[s];
        float[] from = source.data();
        float[] to = target.data();
        int rows = sourceRows[s];
        int cols = sourceCols[s];
        int upper = VectorKernels.SPECIES.loopBound(rows);
        for (int pk = 0; pk < source.count(); pk++) {
            int pw = source.panelWidth(pk);
            int[] offsets = GATHER[pw / VectorKernels.LANES];
            int k0 = pk * Gemm.PANEL;
            int k1 = Math.min(cols, k0 + Gemm.PANEL);
            int panel = source.panelStart(pk) - k0;
            // LANES source rows at a time, every column of the panel: the rows' lines stay in L1 meanwhile
            for (int r0 = 0; r0 < upper; r0 += VectorKernels.LANES) {
                int q = r0 / Gemm.PANEL;
                int row = target.panelStart(q) + r0 - q * Gemm.PANEL;   // target[0, r0]
                int qw = target.panelWidth(q);
                int fi = panel + r0 * pw;                               // source[r0, 0] as if panel began at column 0
                for (int k = k0; k < k1; k++) {
                    FloatVector.fromArray(VectorKernels.SPECIES, from, fi + k, offsets, 0).intoArray(to, row + k * qw);
                }
            }
            for (int r = upper; r < rows; r++) {
                int fi = panel + r * pw;
                for (int k = k0; k < k1; k++) to[target.index(k, r)] = from[fi + k];
            }
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
