package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Subnormals#flush} against a plain loop, over column ranges that start and end inside vectors and
 * rows that start off a vector boundary (every path: the scalar head, whole vectors, the scalar tail). The
 * build runs it at 128 and 256 bits and at the host's width (see the module's POM).
 */
class SubnormalsTest {
    @Test
    void flushesExactlyTheSubnormalsOfTheRange() {
        Random random = new Random(5);
        int lanes = VectorKernels.LANES;
        int stride = VectorKernels.padded(5 * lanes + 3);
        int rows = 7;
        float[] data = new float[3 + rows * stride];
        for (int i = 0; i < data.length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> data[i] = (float) random.nextGaussian();
                case 1 -> data[i] = Float.MIN_VALUE * (1 + random.nextInt(1 << 22)) * (random.nextBoolean() ? 1 : -1);
                case 2 -> data[i] = Float.MIN_NORMAL * (random.nextBoolean() ? 1 : -1);   // the smallest normal stays
                default -> data[i] = random.nextBoolean() ? 0f : -0f;
            }
        }
        Matrix m = new Matrix(data, 3, stride);
        int flushable = 0;
        for (float v : data) if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) flushable++;
        int[][] ranges = {{0, stride}, {1, lanes + 2}, {lanes - 1, 4 * lanes + 1}, {2, 3}, {lanes, 2 * lanes}};
        for (int[] range : ranges) {
            float[] expected = data.clone();
            for (int r = 1; r < rows - 1; r++) {
                for (int c = range[0]; c < range[1]; c++) {
                    int i = m.row(r) + c;
                    if (Math.abs(expected[i]) < Float.MIN_NORMAL) expected[i] = 0f;
                }
            }
            Subnormals.flush(m, 1, rows - 1, range[0], range[1]);
            for (int i = 0; i < data.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(data[i]),
                        "columns " + range[0] + ".." + range[1] + ", index " + i + ": expected " + expected[i] + ", got " + data[i]);
            }
        }
        // not vacuous: the ranges had subnormals to flush, and rows 0 and 6 (outside every range) keep theirs
        int left = 0;
        for (float v : data) if (v != 0 && Math.abs(v) < Float.MIN_NORMAL) left++;
        assertTrue(left > 0 && left < flushable, left + " subnormals left of " + flushable);
    }
}
