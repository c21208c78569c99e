package io.microgpt.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Softmax cross-entropy of each row's logits against its target, fused with its gradient:
 * loss = log(sum_j e^(l_j - m)) - (l_target - m) with m = max l, and
 * dL/dl_j = weight * (softmax(l)_j - [j == target]). The exponential is {@link VectorKernels#expNonPositive}.
 */
final class CrossEntropy {
    private final int vocab;
    private final int vocabWidth;

    CrossEntropy(int vocab) {
        this.vocab = vocab;
        this.vocabWidth = VectorKernels.padded(vocab);
    }

    /**
     * Writes each row's loss into b.rowLoss for rows [from, to); when {@code gradient}, overwrites the logits
     * with dL/dlogits, each row weighted by b.lossWeight (its share of the batch loss).
     */
    void apply(BatchBuffers b, int from, int to, boolean gradient) {
        float[] l = b.logits.data();
        for (int r = from; r < to; r++) {
            int li = b.logits.row(r);
            // padding lanes hold 0 (lm_head's padding rows are 0); they are masked to -inf in registers, e^-inf = 0
            FloatVector maxV = FloatVector.broadcast(VectorKernels.SPECIES, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < vocabWidth; j += VectorKernels.LANES) maxV = maxV.max(masked(l, li, j));
            float max = maxV.reduceLanes(VectorOperators.MAX);
            float target = l[li + b.target[r]];
            FloatVector sumV = FloatVector.zero(VectorKernels.SPECIES);
            for (int j = 0; j < vocabWidth; j += VectorKernels.LANES) {
                FloatVector e = VectorKernels.expNonPositive(masked(l, li, j).sub(max));
                e.intoArray(l, li + j);
                sumV = sumV.add(e);
            }
            // LaneSums.sumInLaneOrder(sumV) (the same bits on every JDK), written out: a vector passed to a call
            // that is not inlined is boxed, and this method is too large for every call in it to be inlined
            float sum;
            if (LaneSums.REDUCE_IN_LANE_ORDER) {
                sum = sumV.reduceLanes(VectorOperators.ADD);
            } else {
                float[] lanes = LaneSums.laneSpill();
                sumV.intoArray(lanes, 0);
                sum = LaneSums.sumInOrder(lanes);
            }
            b.rowLoss[r] = (float) (Math.log(sum) - (target - max));
            if (!gradient) continue;
            // L = -log softmax(l)_target  =>  dL/dl_j = softmax(l)_j - [j == target], times the row's weight
            float weight = b.lossWeight[r];
            FloatVector scale = FloatVector.broadcast(VectorKernels.SPECIES, weight / sum);
            for (int j = 0; j < vocabWidth; j += VectorKernels.LANES) {
                FloatVector.fromArray(VectorKernels.SPECIES, l, li + j).mul(scale).intoArray(l, li + j);
            }
            l[li + b.target[r]] -= weight;
        }
    }

    /** l[li + j .. + LANES) with the lanes past the vocabulary set to -inf (compared as floats: see {@link CausalAttention#softmaxOverKeys}). */
    private FloatVector masked(float[] l, int li, int j) {
        return FloatVector.fromArray(VectorKernels.SPECIES, l, li + j)
                .blend(Float.NEGATIVE_INFINITY, VectorKernels.laneIndices(j).compare(VectorOperators.GE, (float) vocab));
    }

    /** The batch loss: the mean over documents of each document's mean row loss (in double). */
    static double batchLoss(BatchBuffers b) {
        double total = 0;
        for (int d = 0; d < b.documents; d++) {
            int start = b.documentStart[d];
            int end = b.documentStart[d + 1];
            double sum = 0;
            for (int r = start; r < end; r++) sum += b.rowLoss[r];
            total += sum / (end - start);
        }
        return total / b.documents;
    }
}
