package io.microgpt.core.spi;

/**
 * Element types of a tensor as safetensors names them: the two microgpt computes in and writes. A backend's
 * {@link Backend#precision()}, and the element type of the checkpoints it saves.
 *
 * <p>Immutable, so thread-safe.
 */
public enum DType {
    /** IEEE 754 binary32, little-endian. */
    F32(4),
    /** IEEE 754 binary64, little-endian. */
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
