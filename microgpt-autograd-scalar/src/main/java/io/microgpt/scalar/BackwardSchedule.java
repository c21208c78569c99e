package io.microgpt.scalar;

import java.util.Arrays;

/**
 * The order in which microgpt.py's backward pass visits the nodes, rebuilt for a {@link Tape} before each
 * backward pass, so that every gradient is added up in the reference's order and rounds as it does there.
 *
 * <h2>What the reference does</h2>
 * {@code Value.backward()} first runs {@code build_topo}: a depth-first search from the loss that visits each
 * node's children in the order they were given ({@code (a, b)} for {@code a + b}) and appends a node to the list
 * after all its children. It then walks that list backwards, and at each node adds
 * {@code local_grad * node.grad} to each child's gradient. A node with several parents therefore receives its
 * contributions in the order its parents appear in the reversed list, and floating-point addition being
 * non-associative, that order is part of the result.
 *
 * <h2>What differs on the tape</h2>
 * The tape records a whole left-to-right sum as one node with many edges ({@link Tape#dot}, {@link Tape#sum}),
 * where the reference has a chain of additions {@code ((0 + t0) + t1) + ... } over product nodes
 * {@code t_i = a_i * b_i}. The search enters such a chain at its innermost end: it reaches {@code t0} first
 * and lists the chain's nodes one per term, each after the subtree its term reaches first. So a fused node is
 * not one entry of the list but one entry per <em>term</em>: a term is the 2 edges of a product ({@code dot}) or
 * the 1 edge of an added node ({@code sum}); {@code termEdges} says which, 0 meaning an ordinary node whose
 * edges are all one term.
 *
 * <h2>What this class builds</h2>
 * An iterative depth-first search with an explicit stack (the graphs are far deeper than the Java stack allows)
 * that lists <em>events</em>: an event is one node and a range of its edges, {@code [eventFrom, eventTo)}.
 * When the search, scanning node n's edges, meets an unvisited child, the terms of n before the one holding that
 * edge are complete and become one event, listed before the child's subtree; the term itself waits, since in the
 * reference it is listed after its children. When all edges are scanned, the remaining terms become the node's
 * last event. Consecutive terms of one node with nothing listed between them can share an event, although
 * backward then walks them first to last where the reference walks them last to first: the terms of a fused node
 * have distinct children (the tape's precondition), so the order among them changes no sum. {@link Tape#backward} walks the events
 * from last to first, exactly as the reference walks its list.
 *
 * <p>Leaves (the parameters) have no edges and need no place in the list: they are skipped, never pushed.
 *
 * <h2>One shortcut</h2>
 * Every row of a linear layer is a {@code dot} of a weight row (leaves) with the same input run of nodes
 * {@code b..b+n-1}, and q, k and v of one block share their input too. Once one such dot has been searched to
 * its end, its whole input run is visited, so the next dot over the same run (or a shorter prefix of it) can find
 * nothing new: its scan is skipped. {@code inputRun} marks these dots with their run's first node (else -1).
 * Without the shortcut the result is the same; the scan is quadratic in the layer width instead of linear.
 */
final class BackwardSchedule {
    private int[] visited;
    private int epoch;
    private int[] stackNode;
    private int[] stackCursor;
    private int[] stackRunFrom;
    /** For an input run starting at node b: the epoch in which a dot over b..b+runLength[b]-1 was finished. */
    private int[] runSearched;
    private int[] runLength;
    private int[] eventNode;
    private int[] eventFrom;
    private int[] eventTo;

    BackwardSchedule(int nodeCapacity, int edgeCapacity) {
        allocateNodes(nodeCapacity);
        allocateEdges(edgeCapacity);
    }

    /** Node of event i. */
    int[] eventNodes() {
        return eventNode;
    }

    /** First edge of event i. */
    int[] eventFroms() {
        return eventFrom;
    }

    /** One past the last edge of event i. */
    int[] eventTos() {
        return eventTo;
    }

    /** Bytes held by the search's and the schedule's arrays. */
    long bytes() {
        long ints = (long) visited.length + stackNode.length + stackCursor.length + stackRunFrom.length
                + runSearched.length + runLength.length + eventNode.length + eventFrom.length + eventTo.length;
        return 4 * ints;
    }

    /**
     * Lists the events of a backward pass from {@code root} over a tape of {@code nodes} nodes and {@code edges}
     * edges, in the reference's post-order.
     *
     * @param leaves    nodes below this index are leaves
     * @param edgeStart edges of node i are [edgeStart[i], edgeStart[i + 1])
     * @param child     the child at the end of each edge
     * @param termEdges edges per term of each node (see the class comment)
     * @param inputRun  first node of the input run of a weight-row dot, else -1
     * @return the number of events, in {@link #eventNodes()} etc. from index 0
     */
    int build(int root, int leaves, int nodes, int edges, int[] edgeStart, int[] child, int[] termEdges, int[] inputRun) {
        if (visited.length < nodes) allocateNodes(Math.max(nodes, 2 * visited.length));
        if (eventNode.length < edges + 1) allocateEdges(Math.max(edges + 1, 2 * eventNode.length));
        int stamp = ++epoch;
        int events = 0;
        int top = 0;
        visited[root] = stamp;
        stackNode[0] = root;
        stackCursor[0] = edgeStart[root];
        stackRunFrom[0] = edgeStart[root];
        while (top >= 0) {
            int n = stackNode[top];
            int e = stackCursor[top];
            int end = edgeStart[n + 1];
            int run = inputRun[n];
            if (run >= 0 && runSearched[run] == stamp && (end - edgeStart[n]) / 2 <= runLength[run]) e = end;
            int next = -1;
            while (e < end) {
                int c = child[e++];
                if (c >= leaves && visited[c] != stamp) {
                    next = c;
                    break;
                }
            }
            if (next >= 0) {
                // the term holding edge e-1 waits for next's subtree; the terms before it are complete
                int k = termEdges[n];
                int termStart = k == 0 ? edgeStart[n] : edgeStart[n] + ((e - 1 - edgeStart[n]) / k) * k;
                if (termStart > stackRunFrom[top]) {
                    eventNode[events] = n;
                    eventFrom[events] = stackRunFrom[top];
                    eventTo[events] = termStart;
                    events++;
                }
                stackCursor[top] = e;
                stackRunFrom[top] = termStart;
                visited[next] = stamp;
                top++;
                stackNode[top] = next;
                stackCursor[top] = edgeStart[next];
                stackRunFrom[top] = edgeStart[next];
                continue;
            }
            eventNode[events] = n;
            eventFrom[events] = stackRunFrom[top];
            eventTo[events] = end;
            events++;
            if (run >= 0 && (runSearched[run] != stamp || runLength[run] < (end - edgeStart[n]) / 2)) {
                runSearched[run] = stamp;   // the run b..b+length-1 is all visited now
                runLength[run] = (end - edgeStart[n]) / 2;
            }
            top--;
        }
        if (stamp == Integer.MAX_VALUE) {   // before the stamp wraps, forget every mark
            Arrays.fill(visited, 0);
            Arrays.fill(runSearched, 0);
            epoch = 0;
        }
        return events;
    }

    private void allocateNodes(int n) {
        visited = visited == null ? new int[n] : Arrays.copyOf(visited, n);
        runSearched = runSearched == null ? new int[n] : Arrays.copyOf(runSearched, n);
        runLength = runLength == null ? new int[n] : Arrays.copyOf(runLength, n);
        stackNode = new int[n];
        stackCursor = new int[n];
        stackRunFrom = new int[n];
    }

    private void allocateEdges(int n) {
        eventNode = new int[n];
        eventFrom = new int[n];
        eventTo = new int[n];
    }
}
