package io.microgpt.core.tokenizer;

/**
 * UTF-8 both ways, lossless for valid text and with one fixed rule for the rest. Encoding writes an unpaired
 * surrogate (which no UTF-8 text can hold) as U+FFFD. Decoding replaces each maximal ill-formed subpart with one
 * U+FFFD, as the Unicode Standard recommends (section 3.9, "U+FFFD substitution of maximal subparts") and as Rust's
 * {@code String::from_utf8_lossy} and Python's {@code errors="replace"} do, so decoded text matches theirs.
 * Stateless; thread-safe.
 */
final class Utf8 {
    static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /**
     * Writes the UTF-8 bytes of {@code text[start, end)} into {@code out} from index 0 and returns their number;
     * {@code out} must hold at least {@code 3 * (end - start)} bytes.
     */
    static int encode(String text, int start, int end, byte[] out) {
        int n = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) c = REPLACEMENT;
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    /** The text of some bytes, each maximal ill-formed subpart replaced by U+FFFD. */
    static String decode(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            }
            int need = sequenceLength(b);
            if (need == 0) {
                sb.append(REPLACEMENT);
                i++;
                continue;
            }
            int valid = 1;
            while (valid < need && i + valid < end && continues(b, valid, bytes[i + valid] & 0xFF)) valid++;
            if (valid < need) {
                sb.append(REPLACEMENT);   // the maximal subpart: a lead byte and the continuations that fit it
            } else {
                sb.appendCodePoint(codePoint(bytes, i, need));
            }
            i += valid;
        }
        return sb.toString();
    }

    /** How many bytes a sequence with this lead byte has (2..4), or 0 if it cannot lead one. */
    static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) return 2;
        if (lead >= 0xE0 && lead <= 0xEF) return 3;
        if (lead >= 0xF0 && lead <= 0xF4) return 4;
        return 0;
    }

    /**
     * Whether {@code b} can be byte {@code index} (1..3) of a sequence led by {@code lead}: a continuation byte
     * 80..BF, narrowed for the second byte after E0 (A0..BF), ED (80..9F), F0 (90..BF) and F4 (80..8F), which keeps
     * out overlong forms, surrogates and code points above U+10FFFF.
     */
    static boolean continues(int lead, int index, int b) {
        if (index == 1) {
            switch (lead) {
                case 0xE0: return b >= 0xA0 && b <= 0xBF;
                case 0xED: return b >= 0x80 && b <= 0x9F;
                case 0xF0: return b >= 0x90 && b <= 0xBF;
                case 0xF4: return b >= 0x80 && b <= 0x8F;
                default: break;
            }
        }
        return b >= 0x80 && b <= 0xBF;
    }

    /** The code point of a well-formed sequence of {@code length} bytes at {@code offset}. */
    static int codePoint(byte[] bytes, int offset, int length) {
        int lead = bytes[offset] & 0xFF;
        int cp = switch (length) {
            case 2 -> lead & 0x1F;
            case 3 -> lead & 0x0F;
            default -> lead & 0x07;
        };
        for (int k = 1; k < length; k++) cp = (cp << 6) | (bytes[offset + k] & 0x3F);
        return cp;
    }
}
