package io.microgpt.core.tokenizer;

/**
 * GPT-2's printable stand-ins for the 256 byte values, which Hugging Face's byte-level BPE writes in its vocabulary
 * and merges: the printable Latin-1 bytes ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code ÿ}) stand
 * for themselves, the other 68 (controls, space, DEL, NBSP, soft hyphen) for U+0100 onwards in byte order, so byte
 * 0x20 (space) is {@code Ġ} (U+0120) and 0x0A (newline) is {@code Ċ} (U+010A). Immutable; thread-safe.
 */
final class ByteLevel {
    private static final char[] CHAR_OF_BYTE = new char[256];
    /** For characters below U+0144: the byte they stand for, or -1. */
    private static final int[] BYTE_OF_CHAR = new int[0x144];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            CHAR_OF_BYTE[b] = (char) (printable ? b : next++);
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteLevel() {
    }

    /** The stand-in character of a byte (0..255). */
    static char charOf(int b) {
        return CHAR_OF_BYTE[b & 0xFF];
    }

    /** The byte a stand-in character stands for, or -1 if it stands for none. */
    static int byteOf(char c) {
        return c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
    }

    /** The stand-in string of some bytes, as a vocabulary entry spells them. */
    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) chars[i] = charOf(bytes[i]);
        return new String(chars);
    }

    /** The bytes a vocabulary entry spells, or null if a character of it stands for no byte. */
    static byte[] decode(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < bytes.length; i++) {
            int b = byteOf(token.charAt(i));
            if (b < 0) return null;
            bytes[i] = (byte) b;
        }
        return bytes;
    }
}
