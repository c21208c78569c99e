package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BlockTranspose} against a plain loop, at sizes that are not whole blocks (rows and columns past the last
 * 16), offsets and strides wider than the rows: every transposed element, and nothing else of the target
 * written. Only where vectors are 16 lanes wide (the build's host run).
 */
class BlockTransposeTest {

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"16, 16", "27, 16", "64, 20", "80, 20", "5, 3", "33, 47", "256, 64"})
    void transposeMatchesAPlainLoop(int rows, int cols) {
        Assumptions.assumeTrue(BlockTranspose.WORKS, "16-lane vectors only");
        check(rows, cols, false);
    }

    /** The 8 x 8 blocks (256-bit vectors, whatever this JVM's width), the same checks. */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"8, 8", "27, 16", "64, 20", "80, 20", "5, 3", "33, 47", "256, 64", "16, 64"})
    void transposeByEightMatchesAPlainLoop(int rows, int cols) {
        check(rows, cols, true);
    }

    private static void check(int rows, int cols, boolean byEight) {
        int fromStride = (cols + 15) / 16 * 16 + 16;
        int toStride = (rows + 15) / 16 * 16;
        Matrix from = new Matrix(new float[3 + rows * fromStride + 16], 3, fromStride);
        Random random = new Random(rows * 31L + cols);
        for (int r = 0; r < rows; r++) for (int c = 0; c < (cols + 15) / 16 * 16; c++) {
            from.data()[from.row(r) + c] = c < cols ? (float) random.nextGaussian() : 0f;   // padding 0, as the weights' rows
        }
        int extraRows = 2;
        Matrix to = new Matrix(new float[5 + (cols + extraRows) * toStride], 5, toStride);
        java.util.Arrays.fill(to.data(), -7f);
        if (byEight) {
            BlockTranspose.transposeByEight(from.data(), from.offset(), from.stride(), rows, cols, to.data(), to.offset(), to.stride());
        } else {
            BlockTranspose.transpose(from.data(), from.offset(), from.stride(), rows, cols, to.data(), to.offset(), to.stride());
        }
        for (int c = 0; c < cols + extraRows; c++) {
            for (int r = 0; r < toStride; r++) {
                float expected = c < cols && r < rows ? from.data()[from.row(r) + c] : -7f;
                assertEquals(expected, to.data()[to.row(c) + r], 0f, "to[" + c + ", " + r + "]");
            }
        }
    }
}
