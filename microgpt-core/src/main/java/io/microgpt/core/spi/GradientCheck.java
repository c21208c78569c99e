package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a gradient is checked: against another engine's gradient (every element), and against central finite
 * differences of a reference engine's loss, {@code (L(p + h) - L(p - h)) / 2h}, at a few sampled parameters per
 * tensor. A backend whose kernels changed is still right when both differences stay small.
 *
 * <p>Differences are reported per tensor, relative to the tensor's largest expected gradient magnitude, so a
 * tensor whose gradients are all tiny is not judged by its noise, nor a large one by its rounding.
 *
 * <p>Thread-safe itself (it keeps no state); the engine it probes is used by the calling thread and must not be
 * used by another meanwhile.
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * The largest difference inside one tensor.
     *
     * @param tensor             tensor name, e.g. {@code layer0.attn_wq}
     * @param compared           number of elements compared
     * @param maxAbsDifference   max over the compared elements of {@code |actual - expected|}
     * @param maxAbsExpected     max over the compared elements of {@code |expected|}
     * @param worstIndex         flat parameter index of the largest difference (-1 if nothing was compared)
     * @param worstActual        the actual value there
     * @param worstExpected      the expected value there
     */
    public record TensorDifference(String tensor, int compared, double maxAbsDifference, double maxAbsExpected,
                                   int worstIndex, double worstActual, double worstExpected) {

        /** {@code maxAbsDifference / maxAbsExpected}; 0 when both are 0, infinite when only the expected is 0. */
        public double relative() {
            if (maxAbsDifference == 0) return 0;
            if (Double.isNaN(maxAbsDifference)) return Double.NaN;
            return maxAbsDifference / maxAbsExpected;
        }

        /**
         * Within tolerance: relative difference at most {@code relativeTolerance}, or an absolute difference at
         * most {@code absoluteFloor} (for tensors whose expected gradient is zero or nearly so). NaN never passes.
         */
        public boolean within(double relativeTolerance, double absoluteFloor) {
            if (Double.isNaN(maxAbsDifference)) return false;
            return maxAbsDifference <= absoluteFloor || relative() <= relativeTolerance;
        }
    }

    /**
     * Central finite differences at sampled parameters.
     *
     * @param indices flat parameter indices, tensor by tensor
     * @param values  the finite-difference derivative at each index (step {@code h})
     * @param smooth  whether the loss is smooth there: the differences at {@code h} and {@code h / 2} agree. Where
     *                they do not, a ReLU input lies within {@code h} of zero (a kink), finite differences are not a
     *                derivative, and comparisons skip the parameter. A wrong backward pass cannot hide here: it
     *                changes the gradient, not the loss both differences are taken of.
     * @param step    the step {@code h}
     */
    public record FiniteDifferences(int[] indices, double[] values, boolean[] smooth, double step) {

        /** How many sampled parameters sat on a kink and are skipped. */
        public int kinks() {
            int n = 0;
            for (boolean s : smooth) if (!s) n++;
            return n;
        }
    }

    /** The engine's loss gradient on this batch, in {@link ParameterLayout} order. */
    static double[] gradient(Engine engine, int[][] batch) {
        double[] grad = new double[new ParameterLayout(engine.config()).size()];
        engine.lossAndGradient(batch, grad);
        return grad;
    }

    /**
     * Picks up to {@code perTensor} parameters of every tensor: the one with the largest {@code |gradient|} (so
     * that each tensor is checked where it matters most), the rest uniformly at random from {@code seed}.
     */
    public static int[] sampleIndices(ParameterLayout layout, double[] gradient, int perTensor, long seed) {
        if (perTensor < 1) throw new MicrogptException("finite differences need at least 1 sample per tensor, got " + perTensor);
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> picked = new ArrayList<>();
        for (TensorSpec t : layout.tensors()) {
            int n = Math.min(perTensor, t.size());
            int largest = t.offset();
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                if (Math.abs(gradient[i]) > Math.abs(gradient[largest])) largest = i;
            }
            List<Integer> mine = new ArrayList<>();
            mine.add(largest);
            while (mine.size() < n) {
                int i = t.offset() + random.nextInt(t.size());
                if (!mine.contains(i)) mine.add(i);
            }
            mine.sort(null);
            picked.addAll(mine);
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Central differences of {@code engine}'s loss on {@code batch} around {@code at}, one parameter at a time,
     * at steps {@code h} and {@code h / 2} (see {@link FiniteDifferences#smooth()}). The engine's weights are
     * restored to {@code at} afterwards.
     */
    public static FiniteDifferences finiteDifferences(Engine engine, Parameters at, int[][] batch, int[] indices, double h) {
        if (!(h > 0) || Double.isInfinite(h)) throw new MicrogptException("finite-difference step must be positive, got " + h);
        Parameters probe = at.copy();
        double[] values = new double[indices.length];
        boolean[] smooth = new boolean[indices.length];
        try {
            for (int k = 0; k < indices.length; k++) {
                double full = centralDifference(engine, probe, batch, indices[k], h);
                double half = centralDifference(engine, probe, batch, indices[k], h / 2);
                values[k] = full;
                // At a smooth point the two differ by O(h^2) plus rounding (~1e-9 for h ~ 1e-6 and a loss ~ 3).
                smooth[k] = Math.abs(full - half) <= KINK_SLACK + KINK_RELATIVE * Math.abs(full);
            }
        } finally {
            engine.loadParameters(at);
        }
        return new FiniteDifferences(indices.clone(), values, smooth, h);
    }

    /** Absolute disagreement between the differences at h and h/2 above which a parameter counts as on a kink. */
    static final double KINK_SLACK = 1e-8;
    /** Relative part of the same threshold. */
    static final double KINK_RELATIVE = 1e-6;

    /**
     * The central difference (L(p + h e_i) - L(p - h e_i)) / 2h of the engine's loss on {@code batch} in parameter
     * {@code i}, leaving {@code probe}'s values as they were (the engine is left holding {@code probe}'s last
     * perturbation: load the weights you want afterwards).
     */
    public static double centralDifference(Engine engine, Parameters probe, int[][] batch, int i, double h) {
        double[] p = probe.data();
        double original = p[i];
        p[i] = original + h;
        engine.loadParameters(probe);
        double plus = engine.loss(batch);
        p[i] = original - h;
        engine.loadParameters(probe);
        double minus = engine.loss(batch);
        p[i] = original;
        return (plus - minus) / (2 * h);
    }

    /** Every element of {@code actual} against {@code expected}, per tensor. */
    public static List<TensorDifference> compare(ParameterLayout layout, double[] actual, double[] expected) {
        List<TensorDifference> out = new ArrayList<>();
        for (TensorSpec t : layout.tensors()) {
            Worst w = new Worst();
            for (int i = t.offset(); i < t.offset() + t.size(); i++) w.add(i, actual[i], expected[i]);
            out.add(w.result(t.name()));
        }
        return out;
    }

    /** {@code actual} at the sampled indices where the loss is smooth against the finite differences, per tensor. */
    public static List<TensorDifference> compare(ParameterLayout layout, double[] actual, FiniteDifferences expected) {
        List<TensorDifference> out = new ArrayList<>();
        int k = 0;
        int[] idx = expected.indices();
        for (TensorSpec t : layout.tensors()) {
            Worst w = new Worst();
            while (k < idx.length && idx[k] < t.offset() + t.size()) {
                if (idx[k] >= t.offset() && expected.smooth()[k]) w.add(idx[k], actual[idx[k]], expected.values()[k]);
                k++;
            }
            out.add(w.result(t.name()));
        }
        return out;
    }

    /** Running maxima of one tensor's comparison. */
    private static final class Worst {
        int compared;
        double maxDiff;
        double maxExpected;
        int index = -1;
        double actual;
        double expected;

        void add(int i, double a, double e) {
            compared++;
            double d = Math.abs(a - e);
            if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;   // NaN anywhere is the worst difference
            maxExpected = Math.max(maxExpected, Math.abs(e));
            if (index < 0 || d > maxDiff) {
                maxDiff = d;
                index = i;
                actual = a;
                expected = e;
            }
        }

        TensorDifference result(String name) {
            return new TensorDifference(name, compared, maxDiff, maxExpected, index, actual, expected);
        }
    }
}
