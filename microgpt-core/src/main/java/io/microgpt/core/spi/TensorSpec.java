package io.microgpt.core.spi;

/**
 * One named weight matrix inside the flat parameter buffer: {@code rows x cols}, row-major, rows = output
 * units, starting at {@code offset}.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param name   the reference's name, e.g. {@code wte} or {@code layer0.attn_wq}
 * @param rows   output units
 * @param cols   input units
 * @param offset index of element [0, 0] in the flat buffer
 */
public record TensorSpec(String name, int rows, int cols, int offset) {

    /** Number of elements. */
    public int size() {
        return rows * cols;
    }

    /** Flat index of element [row, col]. */
    public int index(int row, int col) {
        return offset + row * cols + col;
    }
}
