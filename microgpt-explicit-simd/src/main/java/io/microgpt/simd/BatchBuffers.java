package io.microgpt.simd;

import io.microgpt.core.ModelConfig;

/**
 * Every activation of a batch and every gradient flowing back through them. The real positions of all
 * documents are the rows of one matrix per activation: document d occupies rows
 * [{@link #documentStart}[d], documentStart[d + 1]), position p of it is row documentStart[d] + p. Sized
 * once for {@link #capacity} rows; nothing here is allocated per step.
 */
final class BatchBuffers {
    /** Rows (positions) these buffers hold at most. */
    final int capacity;
    /** Input token of each row. */
    final int[] token;
    /** Token to predict at each row. */
    final int[] target;
    /** Position of each row within its document. */
    final int[] position;
    /** Weight of each row's loss in the batch loss: 1 / (documents x the document's positions). */
    final float[] lossWeight;
    /** Cross-entropy of each row. */
    final float[] rowLoss;
    /** First row of each document; entry [documents] is the number of rows. */
    final int[] documentStart;
    /** Documents arranged by the last {@link #arrange}. */
    int documents;

    /** wte[token] + wpe[position]. */
    final Matrix embedSum;
    /** The norm's scale of {@link #embedSum}, per row. */
    final float[] embedScale;
    /** The residual stream: [0] is the normed embedding, [l + 1] the output of layer l. */
    final Matrix[] stream;
    /** Each layer's activations. */
    final LayerActivations[] layers;
    /** The logits; overwritten with dL/dlogits by the loss. */
    final Matrix logits;

    /** dL/d(residual stream) at the point backward has reached. */
    final Matrix gradStream;
    /** dL/d(a norm's output). */
    final Matrix gradNormed;
    /** dL/d(MLP hidden layer, after ReLU). */
    final Matrix gradHidden;
    /** dL/d(attention output, heads concatenated). */
    final Matrix gradAttended;
    /** dL/dq, dL/dk, dL/dv. */
    final Matrix gradQ;
    final Matrix gradK;
    final Matrix gradV;
    /** The activations of one transformer block. */
    static final class LayerActivations {
        /** The attention norm's scale per row. */
        final float[] attnScale;
        /** rmsnorm(block input). */
        final Matrix attnNormed;
        /** Queries, keys, values [rows x n_embd], heads side by side. */
        final Matrix q;
        final Matrix k;
        final Matrix v;
        /**
         * The attention weights of every document and head, transposed: [key row][head][query lane], the query
         * lanes counted from the document's first row, per head a stride of padded(blockSize); backward reads
         * them instead of recomputing. Null when kept by no layer (see {@link #KEPT_WEIGHTS_LIMIT}).
         */
        final float[] attnWeights;
        /** Heads' outputs, concatenated. */
        final Matrix attended;
        /** Block input + attention projection (the MLP's residual). */
        final Matrix mid;
        /** The MLP norm's scale per row. */
        final float[] mlpScale;
        /** rmsnorm(mid). */
        final Matrix mlpNormed;
        /** relu(mlpNormed fc1^T). */
        final Matrix hidden;

        LayerActivations(int rows, ModelConfig c, boolean keepWeights) {
            attnScale = new float[rows];
            attnNormed = matrix(rows, c.nEmbd());
            q = matrix(rows, c.nEmbd());
            k = matrix(rows, c.nEmbd());
            v = matrix(rows, c.nEmbd());
            attnWeights = keepWeights ? new float[rows * c.nHead() * VectorKernels.padded(c.blockSize())] : null;
            attended = matrix(rows, c.nEmbd());
            mid = matrix(rows, c.nEmbd());
            mlpScale = new float[rows];
            mlpNormed = matrix(rows, c.nEmbd());
            hidden = matrix(rows, c.mlpDim());
        }
    }

    /** Buffers for training steps of up to {@code capacity} rows. */
    BatchBuffers(ModelConfig config, int capacity) {
        this(config, capacity, keptWeightBytes(config, capacity) <= KEPT_WEIGHTS_LIMIT);
    }

    /**
     * Buffers for up to {@code capacity} rows; {@code keepWeights}: whether forward keeps the attention weights
     * for backward (inference has no backward: O(block x n_embd) per layer, no block^2).
     */
    BatchBuffers(ModelConfig config, int capacity, boolean keepWeights) {
        this.capacity = capacity;
        token = new int[capacity];
        target = new int[capacity];
        position = new int[capacity];
        lossWeight = new float[capacity];
        rowLoss = new float[capacity];
        documentStart = new int[capacity + 1];
        int e = config.nEmbd();
        embedSum = matrix(capacity, e);
        embedScale = new float[capacity];
        stream = new Matrix[config.nLayer() + 1];
        for (int i = 0; i < stream.length; i++) stream[i] = matrix(capacity, e);
        layers = new LayerActivations[config.nLayer()];
        for (int i = 0; i < layers.length; i++) layers[i] = new LayerActivations(capacity, config, keepWeights);
        logits = matrix(capacity, config.vocabSize());
        gradStream = matrix(capacity, e);
        gradNormed = matrix(capacity, e);
        gradHidden = matrix(capacity, config.mlpDim());
        gradAttended = matrix(capacity, e);
        gradQ = matrix(capacity, e);
        gradK = matrix(capacity, e);
        gradV = matrix(capacity, e);
    }

    /**
     * Up to this many bytes, forward keeps every layer's attention weights for backward (a few MB at the
     * reference's shapes and nanoGPT's CPU recipe); beyond it (they grow as rows x heads x block x layers, 113 MB
     * at 6 layers, 6 heads, block 256, batch 12), backward recomputes them from q and k, the same bits. The
     * system property {@code microgpt.simd.keptWeightsLimit} (bytes) overrides it, so the build can test both.
     */
    static final long KEPT_WEIGHTS_LIMIT = Long.getLong("microgpt.simd.keptWeightsLimit", 16L << 20);

    /** Bytes the kept attention weights of every layer take at this capacity. */
    static long keptWeightBytes(ModelConfig c, int rows) {
        return 4L * rows * c.nHead() * VectorKernels.padded(c.blockSize()) * c.nLayer();
    }

    private static Matrix matrix(int rows, int width) {
        int stride = VectorKernels.padded(width);
        return new Matrix(new float[rows * stride], 0, stride);
    }

    /** Bytes held by these buffers (every array once, views not counted again). */
    long bytes() {
        long floats = embedSum.data().length + embedScale.length + logits.data().length + gradStream.data().length
                + gradNormed.data().length + gradHidden.data().length + gradAttended.data().length
                + gradQ.data().length + gradK.data().length + gradV.data().length
                + lossWeight.length + rowLoss.length;
        for (Matrix m : stream) floats += m.data().length;
        for (LayerActivations a : layers) {
            floats += a.attnScale.length + a.attnNormed.data().length + a.q.data().length + a.k.data().length
                    + a.v.data().length + (a.attnWeights == null ? 0 : a.attnWeights.length) + a.attended.data().length + a.mid.data().length
                    + a.mlpScale.length + a.mlpNormed.data().length + a.hidden.data().length;
        }
        long ints = token.length + target.length + position.length + documentStart.length;
        return 4 * (floats + ints);
    }

    /** Rows a batch of these documents needs: each trains on its first min(blockSize, length - 1) positions. */
    static int rowsFor(int[][] documents, int blockSize) {
        int rows = 0;
        for (int[] d : documents) rows += Math.min(blockSize, d.length - 1);
        return rows;
    }

    /** Lays the documents out as rows (inputs, targets, positions, loss weights); returns the row count. */
    int arrange(int[][] documents, int blockSize) {
        return arrange(documents, 0, documents.length, blockSize);
    }

    /**
     * Lays documents [first, end) of a batch out as rows from row 0 on (one chunk of it), each row's loss weighted
     * as its share of the whole batch's loss; returns the row count.
     */
    int arrange(int[][] documents, int first, int end, int blockSize) {
        int row = 0;
        float batchWeight = 1f / documents.length;
        for (int d = first; d < end; d++) {
            int[] doc = documents[d];
            int n = Math.min(blockSize, doc.length - 1);
            documentStart[d - first] = row;
            float weight = batchWeight / n;
            for (int p = 0; p < n; p++, row++) {
                token[row] = doc[p];
                target[row] = doc[p + 1];
                position[row] = p;
                lossWeight[row] = weight;
            }
        }
        documentStart[end - first] = row;
        this.documents = end - first;
        return row;
    }

    /** The sum over the arranged documents of each one's mean row loss (in double, in document order). */
    double documentLossSum() {
        double total = 0;
        for (int d = 0; d < documents; d++) {
            int start = documentStart[d];
            int end = documentStart[d + 1];
            double sum = 0;
            for (int r = start; r < end; r++) sum += rowLoss[r];
            total += sum / (end - start);
        }
        return total;
    }
}
