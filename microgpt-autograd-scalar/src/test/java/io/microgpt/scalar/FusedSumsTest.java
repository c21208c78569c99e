package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused nodes ({@link Tape#dot}, {@link Tape#sum}) against what they stand for: the reference's chains of
 * additions {@code ((t0 + 0) + t1) + ...} over product nodes {@code t_i = a_i * b_i}, recorded on a second tape with
 * ordinary nodes only, whose backward order is the reference's by construction. Many random graphs, each recorded
 * twice, must give bit-identical values and gradients at every node the two share: that checks the
 * {@link BackwardSchedule}'s term-by-term order, its input-run shortcut, and the fused nodes' local gradients.
 *
 * <p>The graphs mix what the model does (linear layers over one input run, several layers on the same input, a
 * shorter dot on a prefix of a run, {@code dot(x, x)} of rmsnorm, index-list dots and sums over scattered nodes)
 * with ordinary operations that share subexpressions, so that nodes have several parents in different orders.
 * As in the model, the terms of one fused node have distinct children (a product's two factors may be the same
 * node): that is the schedule's precondition.
 */
class FusedSumsTest {
    private static final int GRAPHS = 400;

    /** The same graph on two tapes: {@code fused} with dot and sum, {@code chained} with the reference's nodes. */
    private static final class Twin {
        final Tape fused;
        final Tape chained;
        final List<int[]> pairs = new ArrayList<>();   // {fused node, chained node} of the same value
        final SplittableRandom random;
        final int leaves;

        Twin(int leaves, SplittableRandom random) {
            this.leaves = leaves;
            this.random = random;
            fused = new Tape(leaves, 64, 64);   // small capacities: the tapes and the schedule must grow
            chained = new Tape(leaves, 64, 64);
            for (int i = 0; i < leaves; i++) {
                double v = random.nextDouble(-1.5, 1.5);
                fused.values()[i] = v;
                chained.values()[i] = v;
                pairs.add(new int[] {i, i});
            }
        }

        int[] pick() {
            return pairs.get(random.nextInt(pairs.size()));
        }

        /** A pair of recent nodes more often than old ones, so that chains of dependencies get deep. */
        int[] pickRecent() {
            int n = pairs.size();
            return pairs.get(Math.max(0, n - 1 - random.nextInt(Math.min(n, 12))));
        }

        void add(int f, int c) {
            pairs.add(new int[] {f, c});
        }

        /** One ordinary operation, recorded alike on both tapes. */
        void ordinary() {
            int[] x = pickRecent();
            int[] y = random.nextBoolean() ? pick() : pickRecent();
            switch (random.nextInt(7)) {
                case 0 -> add(fused.add(x[0], y[0]), chained.add(x[1], y[1]));
                case 1 -> add(fused.mul(x[0], y[0]), chained.mul(x[1], y[1]));
                case 2 -> {
                    double k = random.nextDouble(0.3, 1.2);
                    add(fused.mul(x[0], k), chained.mul(x[1], k));
                }
                case 3 -> add(fused.relu(x[0]), chained.relu(x[1]));
                case 4 -> add(fused.sub(x[0], y[0]), chained.sub(x[1], y[1]));
                case 5 -> {
                    double c = -fused.value(x[0]);   // exp(x - x) = 1 at the value, but not in the gradient's path
                    add(fused.expOfSum(x[0], c * 0.5), chained.exp(chained.add(x[1], c * 0.5)));
                }
                default -> {
                    double c = random.nextDouble(-0.5, 0.5);
                    add(fused.add(x[0], c), chained.add(x[1], c));
                }
            }
        }

        /** A run of n consecutive new nodes on the fused tape (as a layer's outputs are); returns the pairs. */
        int[][] run(int n) {
            int[][] run = new int[n][];
            for (int i = 0; i < n; i++) {
                int[] x = pick();
                double k = random.nextDouble(0.5, 1.5);
                run[i] = new int[] {fused.mul(x[0], k), chained.mul(x[1], k)};
            }
            for (int[] p : run) pairs.add(p);
            return run;
        }

        /** Rows of weights (runs of leaves) times one input run, as a linear layer; sometimes a shorter prefix too. */
        void linear(int[][] input) {
            int n = input.length;
            int rows = 1 + random.nextInt(5);
            for (int r = 0; r < rows; r++) {
                int length = random.nextInt(4) == 0 ? 1 + random.nextInt(n) : n;
                int w = random.nextInt(leaves - length + 1);
                int f = fused.dot(w, input[0][0], length);
                int c = -1;
                for (int i = 0; i < length; i++) {
                    int t = chained.mul(w + i, input[i][1]);
                    c = i == 0 ? chained.add(t, 0.0) : chained.add(c, t);
                }
                add(f, c);
            }
        }

        /** dot(x, x) over a run, as rmsnorm's sum of squares. */
        void squares(int[][] input) {
            int n = input.length;
            int f = fused.dot(input[0][0], input[0][0], n);
            int c = -1;
            for (int i = 0; i < n; i++) {
                int t = chained.mul(input[i][1], input[i][1]);
                c = i == 0 ? chained.add(t, 0.0) : chained.add(c, t);
            }
            add(f, c);
        }

        /** n distinct pairs, none in {@code avoid}. */
        List<int[]> distinct(int n, List<int[]> avoid) {
            List<int[]> chosen = new ArrayList<>();
            int tries = 0;
            while (chosen.size() < n && tries++ < 50 * n) {
                int[] p = random.nextInt(3) == 0 ? pick() : pickRecent();
                if (!chosen.contains(p) && !avoid.contains(p)) chosen.add(p);
            }
            return chosen;
        }

        /** sum_i a[i] * b[i] over scattered nodes, as attention's dots. */
        void indexDot() {
            List<int[]> a = distinct(1 + random.nextInt(6), List.of());
            List<int[]> b = distinct(a.size(), a);
            int n = Math.min(a.size(), b.size());
            int[] fa = new int[n];
            int[] fb = new int[n];
            int c = -1;
            for (int i = 0; i < n; i++) {
                fa[i] = a.get(i)[0];
                fb[i] = b.get(i)[0];
                int t = chained.mul(a.get(i)[1], b.get(i)[1]);
                c = i == 0 ? chained.add(t, 0.0) : chained.add(c, t);
            }
            add(fused.dot(fa, fb, n), c);
        }

        /** sum_i x[i] over scattered nodes, as softmax's total. */
        int[] sum(List<int[]> x) {
            int n = x.size();
            int[] fx = new int[n];
            int c = -1;
            for (int i = 0; i < n; i++) {
                fx[i] = x.get(i)[0];
                c = i == 0 ? chained.add(x.get(i)[1], 0.0) : chained.add(c, x.get(i)[1]);
            }
            int[] pair = {fused.sum(fx, n), c};
            pairs.add(pair);
            return pair;
        }
    }

    private static Twin randomGraph(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Twin g = new Twin(8 + random.nextInt(40), random);
        int operations = 20 + random.nextInt(120);
        for (int op = 0; op < operations; op++) {
            switch (random.nextInt(10)) {
                case 0, 1 -> {
                    int[][] input = g.run(1 + random.nextInt(Math.min(8, g.leaves)));
                    g.linear(input);
                    if (random.nextBoolean()) g.linear(input);   // q, k, v on one input
                    if (random.nextInt(3) == 0) g.squares(input);
                }
                case 2 -> g.indexDot();
                case 3 -> g.sum(g.distinct(1 + random.nextInt(6), List.of()));
                default -> g.ordinary();
            }
        }
        return g;
    }

    @Test
    void fusedNodesGiveTheReferenceChainsGradientsBitForBit() {
        long reachedLeaves = 0;
        for (long seed = 1; seed <= GRAPHS; seed++) {
            Twin g = randomGraph(seed);
            // the loss: one sum over recent and older nodes, so that most of the graph is reached
            int[] root = g.sum(g.distinct(Math.min(g.pairs.size(), 24), List.of()));
            g.fused.backward(root[0]);
            g.chained.backward(root[1]);
            for (int[] p : g.pairs) {
                String where = "graph " + seed + ", node " + p[0] + " (chained " + p[1] + ")";
                assertEquals(g.chained.value(p[1]), g.fused.value(p[0]), where + ": value");
                assertEquals(g.chained.grad(p[1]), g.fused.grad(p[0]), where + ": gradient");
            }
            for (int i = 0; i < g.leaves; i++) if (g.fused.grad(i) != 0) reachedLeaves++;
        }
        assertTrue(reachedLeaves > GRAPHS * 4L, "the graphs reach their leaves: " + reachedLeaves + " nonzero leaf gradients");
    }
}
