package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RmsNorm forward and backward against a plain loop that sums in the documented order (per lane a fused
 * multiply-add over the row's vectors, then the lanes one after the other), bit for bit: widths of one vector
 * (16 rows at a time where vectors are 16 lanes) and of several, row counts that are and are not whole blocks of
 * 16, a range that starts mid-way. The build runs this class at 128, 256 and 512 bits.
 */
class RmsNormTest {
    private static final int L = VectorKernels.LANES;

    @ParameterizedTest(name = "n {0}, rows {1}, from {2}")
    @CsvSource({"16, 7, 0", "16, 16, 0", "16, 53, 3", "8, 40, 0", "12, 33, 1", "20, 35, 0", "64, 19, 2", "4, 17, 0"})
    void forwardAndBackwardMatchAPlainLoopBitForBit(int n, int rows, int from) {
        int stride = VectorKernels.padded(n);
        Random random = new Random(n * 97L + rows);
        Matrix x = filled(rows, n, stride, random, 1);
        Matrix dy = filled(rows, n, stride, random, 1);
        Matrix dx = filled(rows, n, stride, random, 0.1);
        Matrix y = new Matrix(new float[rows * stride], 0, stride);
        float[] scale = new float[rows];
        float[] expectedDx = dx.data().clone();
        RmsNorm.forward(x, from, rows, n, y, scale);
        RmsNorm.backwardAdd(x, from, rows, n, scale, dy, dx);
        for (int r = from; r < rows; r++) {
            float s = (float) (1 / Math.sqrt(laneOrderDot(x, x, r, stride) * (1f / n) + 1e-5f));
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(scale[r]), "scale of row " + r + ": " + s + " vs " + scale[r]);
            float k = -s * s * s / n * laneOrderDot(dy, x, r, stride);
            for (int c = 0; c < stride; c++) {
                float xi = x.data()[x.row(r) + c];
                assertEquals(Float.floatToRawIntBits(xi * s), Float.floatToRawIntBits(y.data()[y.row(r) + c]), "y[" + r + ", " + c + "]");
                float expected = Math.fma(dy.data()[dy.row(r) + c], s, Math.fma(xi, k, expectedDx[dx.row(r) + c]));
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(dx.data()[dx.row(r) + c]), "dx[" + r + ", " + c + "]");
            }
        }
        for (int r = 0; r < from; r++) assertEquals(0f, scale[r], 0f, "row " + r + " is before the range");
    }

    /** The lanes' fused multiply-adds over the row's vectors, then the lanes added in lane order. */
    private static float laneOrderDot(Matrix a, Matrix b, int r, int stride) {
        float[] lanes = new float[L];
        for (int c = 0; c < stride; c++) lanes[c % L] = Math.fma(a.data()[a.row(r) + c], b.data()[b.row(r) + c], lanes[c % L]);
        float sum = lanes[0];
        for (int l = 1; l < L; l++) sum += lanes[l];
        return sum;
    }

    /** Rows of random values of this size in the real columns, 0 in the padding. */
    private static Matrix filled(int rows, int n, int stride, Random random, double size) {
        Matrix m = new Matrix(new float[rows * stride], 0, stride);
        for (int r = 0; r < rows; r++) for (int c = 0; c < n; c++) m.data()[m.row(r) + c] = (float) (size * random.nextGaussian());
        return m;
    }
}
