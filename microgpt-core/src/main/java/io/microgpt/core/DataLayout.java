package io.microgpt.core;

import java.util.Locale;

/** How a text file becomes training data. */
public enum DataLayout {
    /** One document per line (the reference's): BOS, the line's characters, BOS; documents drawn in shuffled order. */
    LINES,
    /** The whole file as one stream of code points; training windows of block_size + 1 tokens at random offsets. */
    STREAM;

    /** The name as flags and checkpoints spell it: {@code lines}, {@code stream}. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The layout of a flag or checkpoint value. */
    public static DataLayout parse(String s) {
        for (DataLayout v : values()) if (v.flag().equals(s)) return v;
        throw new MicrogptException("layout must be lines or stream, got '" + s + "'");
    }
}
