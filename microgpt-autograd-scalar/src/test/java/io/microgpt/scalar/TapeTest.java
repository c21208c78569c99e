package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every tape operation's recorded gradient against a central finite difference of its value. */
class TapeTest {
    private static final double H = 1e-6;

    /** Builds f(a, b) on a tape whose two leaves are a and b; returns the node of f. */
    private interface Op {
        int build(Tape tape, int a, int b);
    }

    private static Tape tapeAt(double x, double y) {
        Tape tape = new Tape(2, 4, 4);   // tiny capacities: recording must grow the arrays
        tape.values()[0] = x;
        tape.values()[1] = y;
        return tape;
    }

    private static double value(Op op, double x, double y) {
        Tape tape = tapeAt(x, y);
        return tape.value(op.build(tape, 0, 1));
    }

    private static void check(String name, Op op, double x, double y) {
        Tape tape = tapeAt(x, y);
        tape.backward(op.build(tape, 0, 1));
        double numericA = (value(op, x + H, y) - value(op, x - H, y)) / (2 * H);
        double numericB = (value(op, x, y + H) - value(op, x, y - H)) / (2 * H);
        // central differences: truncation O(h^2) ~ 1e-12, rounding ~ 1e-16 / h ~ 1e-10
        assertEquals(numericA, tape.grad(0), 1e-7 * Math.max(1, Math.abs(numericA)), name + ": d/da at " + x + ", " + y);
        assertEquals(numericB, tape.grad(1), 1e-7 * Math.max(1, Math.abs(numericB)), name + ": d/db at " + x + ", " + y);
    }

    @Test
    void everyOperationAgainstCentralDifferences() {
        double[][] points = {{0.3, -1.7}, {2.5, 0.4}, {-0.8, 1.1}};
        for (double[] p : points) {
            double x = p[0];
            double y = p[1];
            check("a + b", (t, a, b) -> t.add(a, b), x, y);
            check("a + 3", (t, a, b) -> t.add(a, 3.0), x, y);
            check("a * b", (t, a, b) -> t.mul(a, b), x, y);
            check("a * 3", (t, a, b) -> t.mul(a, 3.0), x, y);
            check("-a", (t, a, b) -> t.neg(a), x, y);
            check("a - b", (t, a, b) -> t.sub(a, b), x, y);
            check("a / b", (t, a, b) -> t.div(a, b), x, y);
            check("b^3", (t, a, b) -> t.pow(b, 3), x, y);
            check("(a^2 + 1e-5)^-0.5", (t, a, b) -> t.pow(t.add(t.mul(a, a), 1e-5), -0.5), x, y);
            check("exp(a)", (t, a, b) -> t.exp(a), x, y);
            check("log(b^2)", (t, a, b) -> t.log(t.mul(b, b)), x, y);
            check("relu(a) * b", (t, a, b) -> t.mul(t.relu(a), b), x, y);
            check("dot((a, b), (b, a*a))", (t, a, b) -> {
                int run = t.add(a, 0.0);     // a run of two consecutive nodes: (a, b)
                t.add(b, 0.0);
                int other = t.add(b, 0.0);   // and (b, a*a)
                t.mul(a, a);
                return t.dot(run, other, 2);
            }, x, y);
            check("dot over gathered nodes", (t, a, b) -> t.dot(new int[] {a, b, a}, new int[] {b, b, a}, 3), x, y);
            check("sum(exp(a), a*b, exp(a))", (t, a, b) -> {
                int e = t.exp(a);
                return t.sum(new int[] {e, t.mul(a, b), e}, 3);
            }, x, y);
        }
    }

    /**
     * The reference's backward visits nodes in the reverse of a depth-first post-order from the loss; here that adds
     * a's contributions as (-1e16 + 1e16) + 1 = 1, while the reverse of recording order would add
     * (-1e16 + 1) + 1e16 = 0. (microgpt.py's Value gives 1 for the same graph.)
     */
    @Test
    void backwardAddsContributionsInTheReferencesDepthFirstOrder() {
        Tape tape = tapeAt(1.0, 0);
        int big = tape.mul(0, 1e16);       // recorded first
        int one = tape.mul(0, 1.0);
        int minusBig = tape.mul(0, -1e16);
        tape.backward(tape.sum(new int[] {one, big, minusBig}, 3));
        assertEquals(1.0, tape.grad(0));
    }

    @Test
    void reluPassesNoGradientBelowZero() {
        Tape tape = tapeAt(-0.5, 0);
        tape.backward(tape.relu(0));
        assertEquals(0.0, tape.grad(0));
        assertEquals(0.0, tape.value(2));
    }

    @Test
    void resetKeepsLeavesAndClearsGradients() {
        Tape tape = tapeAt(2.0, 3.0);
        tape.backward(tape.mul(0, 1));
        assertEquals(3.0, tape.grad(0));
        tape.reset();
        assertEquals(2, tape.size());
        assertEquals(0.0, tape.grad(0));
        assertEquals(2.0, tape.value(0));
        tape.backward(tape.add(0, 1));
        assertEquals(1.0, tape.grad(0), "gradients of a new step do not carry the old ones");
    }
}
