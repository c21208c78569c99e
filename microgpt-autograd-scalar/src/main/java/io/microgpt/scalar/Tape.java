package io.microgpt.scalar;

import java.util.Arrays;

/**
 * A scalar autograd tape: the reference's {@code Value} graph kept in flat arrays. Each node holds its value,
 * its gradient, and its edges: for every child, the child's index and the local gradient
 * d(node)/d(child), recorded as data when the node is made. Backward is one uniform loop,
 * {@code grad[child] += localGrad * grad[node]}, over the nodes in the order the reference's backward visits them
 * (rebuilt by {@link BackwardSchedule}), so that even the rounding of each gradient's sum is the reference's.
 *
 * <p>The first {@code leaves} nodes are the model's parameters; they stay across {@link #reset()}, everything
 * after them is rebuilt each step in the same arrays, so the steady state allocates nothing.
 *
 * <p>Besides the reference's operations, {@link #dot} and {@link #sum} record a whole left-to-right sum as
 * one node with many children. They compute exactly what the reference's chains of additions compute (the
 * chain's local gradients are all 1, so each product's gradient is the sum's), with one node instead of 2n.
 * Their terms must have distinct children (a product's two factors may be one node), as every sum in the model
 * has: the backward order of {@link BackwardSchedule} relies on it.
 */
final class Tape {
    private final int leaves;
    private double[] value;
    private double[] grad;
    /** Edges of node i are [edgeStart[i], edgeStart[i + 1]); edgeStart[size] == edges. */
    private int[] edgeStart;
    private int[] child;
    private double[] localGrad;
    /** Edges per term of a fused sum (2 for dot, 1 for sum); 0 for an ordinary node, whose edges are one term. */
    private int[] termEdges;
    /** For a dot of a weight row with a run of input nodes: the run's first node, else -1 (see {@link BackwardSchedule}). */
    private int[] inputRun;
    private int size;
    private int edges;
    private final BackwardSchedule schedule;

    Tape(int leaves, int nodeCapacity, int edgeCapacity) {
        this.leaves = leaves;
        int nodes = Math.max(nodeCapacity, leaves + 16);
        value = new double[nodes];
        grad = new double[nodes];
        edgeStart = new int[nodes + 1];
        termEdges = new int[nodes];
        inputRun = new int[nodes];
        child = new int[Math.max(edgeCapacity, 16)];
        localGrad = new double[child.length];
        schedule = new BackwardSchedule(nodes, child.length);
        size = leaves;
    }

    /** Value of a node. */
    double value(int node) {
        return value[node];
    }

    /** Gradient of a node (after {@link #backward}). */
    double grad(int node) {
        return grad[node];
    }

    /** The values array, whose first {@code leaves} entries are the parameters. */
    double[] values() {
        return value;
    }

    /** The gradients array, whose first {@code leaves} entries are the parameters' gradients. */
    double[] grads() {
        return grad;
    }

    /** Nodes currently on the tape, leaves included. */
    int size() {
        return size;
    }

    /** Bytes held by all the tape's arrays: the nodes', the edges' and the backward schedule's. */
    long bytes() {
        long ints = (long) edgeStart.length + termEdges.length + inputRun.length + child.length;
        return 8L * ((long) value.length + grad.length + localGrad.length) + 4L * ints + schedule.bytes();
    }

    /** Drops every node after the leaves and zeroes all gradients. */
    void reset() {
        Arrays.fill(grad, 0, size, 0.0);
        size = leaves;
        edges = 0;
        edgeStart[leaves] = 0;
    }

    // ---- recording -------------------------------------------------------------------------------------

    private int node(double v, int edgeCount) {
        if (size + 1 >= value.length) growNodes();
        if (edges + edgeCount > child.length) growEdges(edges + edgeCount);
        int n = size++;
        value[n] = v;
        termEdges[n] = 0;
        inputRun[n] = -1;
        edgeStart[n] = edges;
        edgeStart[n + 1] = edges + edgeCount;
        return n;
    }

    private void edge(int c, double local) {
        child[edges] = c;
        localGrad[edges] = local;
        edges++;
    }

    private void growNodes() {
        int n = value.length * 2;
        value = Arrays.copyOf(value, n);
        grad = Arrays.copyOf(grad, n);
        edgeStart = Arrays.copyOf(edgeStart, n + 1);
        termEdges = Arrays.copyOf(termEdges, n);
        inputRun = Arrays.copyOf(inputRun, n);
    }

    private void growEdges(int needed) {
        int n = Math.max(child.length * 2, needed);
        child = Arrays.copyOf(child, n);
        localGrad = Arrays.copyOf(localGrad, n);
    }

    // ---- the reference's operations ---------------------------------------------------------------------

    /** a + b */
    int add(int a, int b) {
        int n = node(value[a] + value[b], 2);
        edge(a, 1);
        edge(b, 1);
        return n;
    }

    /** a + c for a constant c */
    int add(int a, double c) {
        int n = node(value[a] + c, 1);
        edge(a, 1);
        return n;
    }

    /** a * b */
    int mul(int a, int b) {
        int n = node(value[a] * value[b], 2);
        edge(a, value[b]);
        edge(b, value[a]);
        return n;
    }

    /** a * c for a constant c */
    int mul(int a, double c) {
        int n = node(value[a] * c, 1);
        edge(a, c);
        return n;
    }

    /** a^p for a constant p; d/da = p * a^(p-1) */
    int pow(int a, double p) {
        double x = value[a];
        int n = node(Math.pow(x, p), 1);
        edge(a, p * Math.pow(x, p - 1));
        return n;
    }

    /** ln a; d/da = 1/a */
    int log(int a) {
        double x = value[a];
        int n = node(Math.log(x), 1);
        edge(a, 1 / x);
        return n;
    }

    /** e^a; d/da = e^a */
    int exp(int a) {
        double e = Math.exp(value[a]);
        int n = node(e, 1);
        edge(a, e);
        return n;
    }

    /**
     * e^(a + c) for a constant c: the reference's {@code (a - max).exp()} as one node. d/da = e^(a + c) exactly as
     * the two nodes give it, since the addition's local gradient is 1.
     */
    int expOfSum(int a, double c) {
        double e = Math.exp(value[a] + c);
        int n = node(e, 1);
        edge(a, e);
        return n;
    }

    /** max(0, a); d/da = [a &gt; 0] */
    int relu(int a) {
        double x = value[a];
        int n = node(x > 0 ? x : 0, 1);
        edge(a, x > 0 ? 1 : 0);
        return n;
    }

    /** -a, as the reference: a * -1 */
    int neg(int a) {
        return mul(a, -1.0);
    }

    /** a - b, as the reference: a + (-b) */
    int sub(int a, int b) {
        return add(a, neg(b));
    }

    /** a / b, as the reference: a * b^-1 */
    int div(int a, int b) {
        return mul(a, pow(b, -1));
    }

    // ---- fused sums ---------------------------------------------------------------------------------------

    /**
     * sum_i a[i] * b[i] over the contiguous nodes a..a+n-1 and b..b+n-1, added from 0 left to right;
     * d/da[i] = b[i], d/db[i] = a[i].
     */
    int dot(int a, int b, int n) {
        int node = node(0, 2 * n);
        double[] v = value;
        int[] c = child;
        double[] local = localGrad;
        int e = edges;
        double s = 0;
        for (int i = 0; i < n; i++, e += 2) {
            double x = v[a + i];
            double y = v[b + i];
            s += x * y;
            c[e] = a + i;
            local[e] = y;
            c[e + 1] = b + i;
            local[e + 1] = x;
        }
        edges = e;
        v[node] = s;
        termEdges[node] = 2;
        if (a + n <= leaves && b >= leaves) inputRun[node] = b;   // a weight row times a run of input nodes
        return node;
    }

    /** sum_i a[i] * b[i] over nodes listed in two index arrays; as {@link #dot(int, int, int)}. */
    int dot(int[] a, int[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += value[a[i]] * value[b[i]];
        int node = node(s, 2 * n);
        for (int i = 0; i < n; i++) {
            edge(a[i], value[b[i]]);
            edge(b[i], value[a[i]]);
        }
        termEdges[node] = 2;
        return node;
    }

    /** sum_i x[i] over nodes listed in an index array, from 0 left to right; d/dx[i] = 1. */
    int sum(int[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += value[x[i]];
        int node = node(s, n);
        for (int i = 0; i < n; i++) edge(x[i], 1);
        termEdges[node] = 1;
        return node;
    }

    // ---- backward -----------------------------------------------------------------------------------------

    /**
     * Sets d(root)/d(root) = 1 and propagates gradients to every node: {@code grad[child] += localGrad * grad[node]}
     * over the edges of each node, the nodes taken in the reference's order (see {@link BackwardSchedule}), so that
     * every gradient is added up in the same order as microgpt.py adds it.
     */
    void backward(int root) {
        int events = schedule.build(root, leaves, size, edges, edgeStart, child, termEdges, inputRun);
        int[] eventNode = schedule.eventNodes();
        int[] eventFrom = schedule.eventFroms();
        int[] eventTo = schedule.eventTos();
        double[] g = grad;
        int[] c = child;
        double[] local = localGrad;
        g[root] = 1;
        for (int i = events - 1; i >= 0; i--) {
            double gn = g[eventNode[i]];
            if (gn == 0) continue;
            for (int e = eventFrom[i], end = eventTo[i]; e < end; e++) {
                g[c[e]] += local[e] * gn;
            }
        }
    }
}
