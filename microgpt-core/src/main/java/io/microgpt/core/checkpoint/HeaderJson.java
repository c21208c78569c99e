package io.microgpt.core.checkpoint;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict JSON a safetensors header needs, and nothing more: objects, arrays, strings and whole
 * numbers, nested at most three deep (header object, tensor or metadata object, shape or offsets array).
 * Anything else (fractions, exponents, {@code true}, {@code null}, duplicate keys, deeper nesting, trailing
 * text other than whitespace) is rejected with a {@link MicrogptException} that names the position.
 *
 * <p>Parsed values are {@code Map<String, Object>} (in file order), {@code List<Object>}, {@code String} and
 * {@code Long}. The parser is a single left-to-right pass: its time and memory are linear in the text.
 */
final class HeaderJson {
    private static final int MAX_DEPTH = 3;

    private final String text;
    private int pos;

    private HeaderJson(String text) {
        this.text = text;
    }

    /** Parses one JSON object; throws a {@link MicrogptException} ("header is not valid JSON: ...") otherwise. */
    static Map<String, Object> parseObject(String text) {
        HeaderJson p = new HeaderJson(text);
        p.skipWhitespace();
        if (p.peek() != '{') throw p.error("expected '{' at the start");
        Map<String, Object> result = p.object(1);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected text after the closing '}'");
        return result;
    }

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than a safetensors header has");
        expect('{');
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key");
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (map.put(key, value) != null) {
                pos = keyAt;
                throw error("duplicate key \"" + abbreviate(key) + "\"");
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return map;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than a safetensors header has");
        expect('[');
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return list;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private Object value(int depth) {
        char c = peek();
        if (c == '{') return object(depth + 1);
        if (c == '[') return array(depth + 1);
        if (c == '"') return string();
        if (c == '-' || (c >= '0' && c <= '9')) return integer();
        throw error("expected an object, array, string or whole number");
    }

    private Long integer() {
        boolean negative = peek() == '-';
        if (negative) pos++;
        int start = pos;
        long value = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            int digit = text.charAt(pos) - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) throw error("number too large");
            value = value * 10 + digit;
            pos++;
        }
        if (pos == start) throw error("expected a digit");
        if (pos - start > 1 && text.charAt(start) == '0') {
            pos = start;
            throw error("leading zero in a number");
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("only whole numbers belong in a safetensors header");
        }
        return negative ? -value : value;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == '"') break;
            if (c < 0x20) {
                pos--;
                throw error("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> {
                    pos--;
                    throw error("unknown escape '\\" + Text.shown(e) + "'");
                }
            }
        }
        String s = sb.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("string holds an unpaired surrogate \\u" + String.format("%04x", (int) c));
            }
        }
        return s;
    }

    private char unicodeEscape() {
        if (pos + 4 > text.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw error("bad hex digit in a \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected " + Text.quote(c));
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) throw error("unexpected end");
        return text.charAt(pos);
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private MicrogptException error(String what) {
        return new MicrogptException("header is not valid JSON: " + what + " at character " + pos);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    /** {@code s} as a JSON string literal: quotes, backslashes and control characters escaped, the rest as is. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
