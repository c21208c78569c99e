package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.microgpt.core.ModelConfig;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention's tiles against plain loops in double (the oracle): forward's attended values and backward's
 * dL/dq, dL/dk, dL/dv for a batch of documents of 1 to 70 positions (several tiles of queries at every
 * width, so the blocks of 8 keys, of 4 keys before a tile and of 2 vectors of a head all run, with their
 * leftovers), with the weights kept and recomputed, heads narrower than a vector (gathered) and whole vectors
 * wide (broadcast), head_dim 2 to 64; heads narrower than a vector also in pair lanes ({@link NarrowHeadAttention}, at
 * every width: head_dim 2 and 3 are narrow at 128 bits). The build runs this class at 128, 256 and 512 bits. Values of order 1
 * summed over at most 70 keys in f32 with a 2-ulp exponential: bound 2e-5 absolute. And one row at a time (the
 * KV cache of sampling) gives the same bits as the whole document at once.
 */
class CausalAttentionTest {
    private static final double BOUND = 2e-5;

    @ParameterizedTest(name = "n_embd {0}, n_head {1}, block {2}, weights kept {3}")
    @CsvSource({"16, 4, 40, true", "16, 4, 40, false", "20, 4, 40, true", "24, 2, 33, false", "64, 4, 40, true",
        "64, 4, 40, false", "96, 3, 17, true", "8, 1, 5, false", "128, 2, 70, true", "128, 4, 70, false", "64, 1, 37, false",
        "12, 4, 30, false", "8, 4, 19, true"})
    void forwardAndBackwardMatchPlainLoops(int nEmbd, int nHead, int block, boolean keep) {
        ModelConfig config = Fixtures.config(nEmbd, nHead, 1, block);
        int[][] documents = documents(block + 5, 1, 7, block + 1, 3, 17);
        BatchBuffers b = new BatchBuffers(config, documents.length * block, keep);
        int rows = b.arrange(documents, block);
        BatchBuffers.LayerActivations a = b.layers[0];
        Random random = new Random(nEmbd * 31L + block);
        fill(a.q, rows, nEmbd, random);
        fill(a.k, rows, nEmbd, random);
        fill(a.v, rows, nEmbd, random);
        fill(b.gradAttended, rows, nEmbd, random);
        CausalAttention attention = new CausalAttention(config);
        AttentionScratch scratch = new AttentionScratch(config);
        attention.forward(b, a, 0, rows, scratch);
        attention.backward(b, a, 0, rows, scratch);

        int headDim = nEmbd / nHead;
        double scale = 1 / Math.sqrt(headDim);
        double[][] attended = new double[rows][nEmbd];
        double[][] dq = new double[rows][nEmbd];
        double[][] dk = new double[rows][nEmbd];
        double[][] dv = new double[rows][nEmbd];
        for (int d = 0; d < b.documents; d++) {
            int first = b.documentStart[d];
            for (int t = first; t < b.documentStart[d + 1]; t++) {
                for (int h = 0; h < nHead; h++) {
                    int hc = h * headDim;
                    int keys = t - first + 1;
                    double[] w = new double[keys];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < keys; u++) {
                        for (int j = 0; j < headDim; j++) w[u] += scale * at(a.q, t, hc + j) * at(a.k, first + u, hc + j);
                        max = Math.max(max, w[u]);
                    }
                    double sum = 0;
                    for (int u = 0; u < keys; u++) sum += w[u] = Math.exp(w[u] - max);
                    double[] dw = new double[keys];
                    double weighted = 0;
                    for (int u = 0; u < keys; u++) {
                        w[u] /= sum;
                        for (int j = 0; j < headDim; j++) {
                            attended[t][hc + j] += w[u] * at(a.v, first + u, hc + j);
                            dw[u] += at(b.gradAttended, t, hc + j) * at(a.v, first + u, hc + j);
                        }
                        weighted += w[u] * dw[u];
                    }
                    for (int u = 0; u < keys; u++) {
                        double ds = scale * w[u] * (dw[u] - weighted);
                        for (int j = 0; j < headDim; j++) {
                            dq[t][hc + j] += ds * at(a.k, first + u, hc + j);
                            dk[first + u][hc + j] += ds * at(a.q, t, hc + j);
                            dv[first + u][hc + j] += w[u] * at(b.gradAttended, t, hc + j);
                        }
                    }
                }
            }
        }
        check("attended", attended, a.attended, rows, nEmbd);
        check("dL/dq", dq, b.gradQ, rows, nEmbd);
        check("dL/dk", dk, b.gradK, rows, nEmbd);
        check("dL/dv", dv, b.gradV, rows, nEmbd);
    }

    @ParameterizedTest(name = "n_embd {0}, n_head {1}, block {2}")
    @CsvSource({"16, 4, 40", "20, 4, 19", "64, 4, 33"})
    void oneRowAtATimeGivesTheBitsOfTheWholeDocument(int nEmbd, int nHead, int block) {
        ModelConfig config = Fixtures.config(nEmbd, nHead, 1, block);
        int[][] documents = documents(block + 1);
        BatchBuffers whole = new BatchBuffers(config, block, false);
        BatchBuffers byRow = new BatchBuffers(config, block, false);
        int rows = whole.arrange(documents, block);
        byRow.arrange(documents, block);
        Random random = new Random(5);
        fill(whole.layers[0].q, rows, nEmbd, random);
        fill(whole.layers[0].k, rows, nEmbd, random);
        fill(whole.layers[0].v, rows, nEmbd, random);
        for (Matrix[] m : new Matrix[][] {{whole.layers[0].q, byRow.layers[0].q}, {whole.layers[0].k, byRow.layers[0].k},
            {whole.layers[0].v, byRow.layers[0].v}}) {
            System.arraycopy(m[0].data(), 0, m[1].data(), 0, m[0].data().length);
        }
        CausalAttention attention = new CausalAttention(config);
        attention.forward(whole, whole.layers[0], 0, rows, new AttentionScratch(config));
        AttentionScratch scratch = new AttentionScratch(config);
        for (int r = 0; r < rows; r++) attention.forward(byRow, byRow.layers[0], r, r + 1, scratch);
        float[] expected = whole.layers[0].attended.data();
        float[] actual = byRow.layers[0].attended.data();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0f, "attended[" + i / whole.layers[0].attended.stride() + ", "
                    + i % whole.layers[0].attended.stride() + "]");
        }
    }

    /** Threads split a layer's attention by heads: heads [0, 1) then [1, heads) give the bits of all heads at once. */
    @ParameterizedTest(name = "n_embd {0}, n_head {1}, block {2}, weights kept {3}")
    @CsvSource({"16, 4, 40, true", "20, 4, 19, false", "64, 4, 33, true", "24, 3, 20, false"})
    void headRangesGiveTheBitsOfAllHeads(int nEmbd, int nHead, int block, boolean keep) {
        ModelConfig config = Fixtures.config(nEmbd, nHead, 1, block);
        int[][] documents = documents(block + 2, 3, 9);
        BatchBuffers[] runs = {filled(config, documents, keep, 11), filled(config, documents, keep, 11)};
        int rows = runs[0].documentStart[runs[0].documents];
        CausalAttention attention = new CausalAttention(config);
        AttentionScratch scratch = new AttentionScratch(config);
        attention.forward(runs[0], runs[0].layers[0], 0, rows, scratch);
        attention.backward(runs[0], runs[0].layers[0], 0, rows, scratch);
        attention.forward(runs[1], runs[1].layers[0], 0, rows, 1, nHead, scratch);
        attention.forward(runs[1], runs[1].layers[0], 0, rows, 0, 1, scratch);
        attention.backward(runs[1], runs[1].layers[0], 0, rows, 1, nHead, scratch);
        attention.backward(runs[1], runs[1].layers[0], 0, rows, 0, 1, scratch);
        assertSameBits(runs[0], runs[1], rows);
    }

    /**
     * Heads narrower than a vector in pair lanes ({@link NarrowHeadAttention}) give the bits of the per-head tiles
     * whose heads share vectors by gathers: forward and backward, weights kept and recomputed, over every head and
     * over a range of heads.
     */
    @ParameterizedTest(name = "n_embd {0}, n_head {1}, block {2}, weights kept {3}")
    @CsvSource({"16, 4, 40, true", "16, 4, 23, false", "20, 4, 40, false", "24, 2, 33, true", "8, 1, 21, true", "32, 8, 18, false",
        "12, 4, 30, false", "8, 4, 19, true"})
    void narrowHeadsGiveTheBitsOfTheGatheredTiles(int nEmbd, int nHead, int block, boolean keep) {
        ModelConfig config = Fixtures.config(nEmbd, nHead, 1, block);
        org.junit.jupiter.api.Assumptions.assumeTrue(NarrowHeadAttention.applies(config), "heads are not narrow at this width");
        int[][] documents = documents(block + 3, 2, 5, block, 9);
        BatchBuffers[] runs = {filled(config, documents, keep, 23), filled(config, documents, keep, 23)};
        int rows = runs[0].documentStart[runs[0].documents];
        CausalAttention gathered = new CausalAttention(config, false);
        AttentionScratch gatheredScratch = new AttentionScratch(config, false);
        gathered.forward(runs[0], runs[0].layers[0], 0, rows, gatheredScratch);
        gathered.backward(runs[0], runs[0].layers[0], 0, rows, gatheredScratch);
        CausalAttention narrow = new CausalAttention(config, true);
        AttentionScratch narrowScratch = new AttentionScratch(config, true);
        narrow.forward(runs[1], runs[1].layers[0], 0, rows, 0, 1, narrowScratch);
        narrow.forward(runs[1], runs[1].layers[0], 0, rows, 1, nHead, narrowScratch);
        narrow.backward(runs[1], runs[1].layers[0], 0, rows, narrowScratch);
        assertSameBits(runs[0], runs[1], rows);
    }

    /** Buffers for these documents with q, k, v and dL/dattended filled from a generator of this seed. */
    private static BatchBuffers filled(ModelConfig config, int[][] documents, boolean keep, long seed) {
        BatchBuffers b = new BatchBuffers(config, documents.length * config.blockSize(), keep);
        int rows = b.arrange(documents, config.blockSize());
        Random random = new Random(seed);
        for (Matrix m : new Matrix[] {b.layers[0].q, b.layers[0].k, b.layers[0].v, b.gradAttended}) fill(m, rows, config.nEmbd(), random);
        return b;
    }

    /** The attended values, dL/dq, dL/dk and dL/dv of rows [0, rows) of two runs are the same floats. */
    private static void assertSameBits(BatchBuffers expected, BatchBuffers actual, int rows) {
        Matrix[][] pairs = {{expected.layers[0].attended, actual.layers[0].attended}, {expected.gradQ, actual.gradQ},
            {expected.gradK, actual.gradK}, {expected.gradV, actual.gradV}};
        String[] names = {"attended", "dL/dq", "dL/dk", "dL/dv"};
        for (int m = 0; m < pairs.length; m++) {
            for (int i = 0; i < rows * pairs[m][0].stride(); i++) {
                assertEquals(pairs[m][0].data()[i], pairs[m][1].data()[i], 0f, names[m] + "[" + i / pairs[m][0].stride() + ", "
                        + i % pairs[m][0].stride() + "]");
            }
        }
    }

    /** Documents of these many tokens (their content does not matter to attention: only positions do). */
    private static int[][] documents(int... lengths) {
        int[][] docs = new int[lengths.length][];
        for (int i = 0; i < lengths.length; i++) docs[i] = new int[lengths[i] + 1];
        return docs;
    }

    /** Random values in the real columns of rows [0, rows); the padding stays 0. */
    private static void fill(Matrix m, int rows, int cols, Random random) {
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) m.data()[m.row(r) + c] = (float) random.nextGaussian();
    }

    private static double at(Matrix m, int r, int c) {
        return m.data()[m.row(r) + c];
    }

    /** Every real entry within {@link #BOUND}, every padding lane exactly 0. */
    private static void check(String what, double[][] expected, Matrix actual, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < actual.stride(); c++) {
                double e = c < cols ? expected[r][c] : 0;
                double x = at(actual, r, c);
                if (Math.abs(x - e) > (c < cols ? BOUND : 0)) fail(what + "[" + r + ", " + c + "]: " + x + " vs plain loops " + e);
            }
        }
    }
}
