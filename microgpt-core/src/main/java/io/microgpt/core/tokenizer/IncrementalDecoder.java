package io.microgpt.core.tokenizer;

import java.util.function.IntFunction;

/**
 * Turns a stream of token ids into text as it grows, for generation: a token may end inside a UTF-8 character,
 * so its bytes are held until the character completes (or proves ill-formed, which gives U+FFFD). The
 * concatenation of everything {@link #next} and {@link #finish} return equals decoding all the ids at once.
 * Not thread-safe: one decoder per stream.
 */
public final class IncrementalDecoder implements Tokenizer.Decoder {
    private final IntFunction<byte[]> tokenBytes;
    private final byte[] pending = new byte[4];
    private int pendingLength;
    private int needed;

    /** @param tokenBytes the bytes of each token id */
    public IncrementalDecoder(IntFunction<byte[]> tokenBytes) {
        this.tokenBytes = tokenBytes;
    }

    /** The text this token completes: possibly empty, possibly characters that earlier tokens began. */
    @Override
    public String next(int id) {
        byte[] bytes = tokenBytes.apply(id);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) accept(b & 0xFF, sb);
        return sb.toString();
    }

    /** The text of bytes still held (an unfinished character, so U+FFFD), or "" ; the decoder is then empty. */
    @Override
    public String finish() {
        if (pendingLength == 0) return "";
        pendingLength = 0;
        return String.valueOf(Utf8.REPLACEMENT);
    }

    /** Whether bytes of an unfinished character are held. */
    public boolean holdsBytes() {
        return pendingLength > 0;
    }

    private void accept(int b, StringBuilder out) {
        if (pendingLength > 0) {
            if (Utf8.continues(pending[0] & 0xFF, pendingLength, b)) {
                pending[pendingLength++] = (byte) b;
                if (pendingLength == needed) {
                    out.appendCodePoint(Utf8.codePoint(pending, 0, needed));
                    pendingLength = 0;
                }
                return;
            }
            out.append(Utf8.REPLACEMENT);   // the held bytes are a maximal ill-formed subpart; b starts afresh
            pendingLength = 0;
        }
        if (b < 0x80) {
            out.append((char) b);
            return;
        }
        needed = Utf8.sequenceLength(b);
        if (needed == 0) {
            out.append(Utf8.REPLACEMENT);
            return;
        }
        pending[0] = (byte) b;
        pendingLength = 1;
    }
}
