package io.microgpt.core.json;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for the files microgpt reads, with {@link Rules} that narrow it further (how deep,
 * whether fractions and {@code true}/{@code false}/{@code null} belong). Duplicate keys, trailing commas, comments,
 * unpaired surrogates and trailing text other than whitespace are rejected with a {@link MicrogptException} that
 * names what was read, the problem and the position.
 *
 * <p>Values are {@code Map<String, Object>} (in file order), {@code List<Object>}, {@code String}, {@code Long}
 * (whole numbers), {@code Double} (fractions and exponents), {@code Boolean} and {@code null}. One left-to-right pass:
 * time and memory linear in the text. Stateless and thread-safe.
 */
public final class Json {
    /**
     * What a reader accepts.
     *
     * @param what      the name of what is read, first word of every message ({@code "header"}, a file name)
     * @param maxDepth  deepest nesting of objects and arrays (the outermost counts 1)
     * @param fractions whether numbers with a fraction or exponent are accepted (as {@code Double})
     * @param literals  whether {@code true}, {@code false} and {@code null} are accepted
     */
    public record Rules(String what, int maxDepth, boolean fractions, boolean literals) {
        /** Any JSON nested at most {@code maxDepth} deep. */
        public static Rules full(String what, int maxDepth) {
            return new Rules(what, maxDepth, true, true);
        }
    }

    private final String text;
    private final Rules rules;
    private int pos;

    private Json(String text, Rules rules) {
        this.text = text;
        this.rules = rules;
    }

    /** Parses one JSON object, the whole text; throws a {@link MicrogptException} otherwise. */
    public static Map<String, Object> parseObject(String text, Rules rules) {
        Json p = new Json(text, rules);
        p.skipWhitespace();
        if (p.pos >= text.length() || text.charAt(p.pos) != '{') throw p.error("expected '{' at the start");
        Map<String, Object> result = p.object(1);
        p.skipWhitespace();
        if (p.pos != text.length()) throw p.error("unexpected text after the closing '}'");
        return result;
    }

    private Map<String, Object> object(int depth) {
        if (depth > rules.maxDepth) throw error("nesting deeper than " + rules.maxDepth + " levels");
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
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key " + Text.quote(key));
            }
            map.put(key, value);
            skipWhitespace();
            char c = peek();
            if (c == '}') {
                pos++;
                return map;
            }
            if (c != ',') throw error("expected ',' or '}'");
            pos++;
        }
    }

    private List<Object> array(int depth) {
        if (depth > rules.maxDepth) throw error("nesting deeper than " + rules.maxDepth + " levels");
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
            if (c == ']') {
                pos++;
                return list;
            }
            if (c != ',') throw error("expected ',' or ']'");
            pos++;
        }
    }

    private Object value(int depth) {
        char c = peek();
        if (c == '{') return object(depth + 1);
        if (c == '[') return array(depth + 1);
        if (c == '"') return string();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        if (c == 't' || c == 'f' || c == 'n') return literal();
        throw error("expected a value");
    }

    private Object literal() {
        for (String word : new String[] {"true", "false", "null"}) {
            if (text.startsWith(word, pos)) {
                if (!rules.literals) throw error(word + " does not belong here");
                pos += word.length();
                return word.equals("null") ? null : Boolean.valueOf(word.equals("true"));
            }
        }
        throw error("expected a value");
    }

    private Object number() {
        int start = pos;
        if (text.charAt(pos) == '-') pos++;
        int digitsStart = pos;
        while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
        if (pos == digitsStart) throw error("expected a digit");
        if (pos - digitsStart > 1 && text.charAt(digitsStart) == '0') {
            pos = digitsStart;
            throw error("leading zero in a number");
        }
        boolean whole = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            whole = false;
            pos++;
            int fractionStart = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
            if (pos == fractionStart) throw error("expected a digit after '.'");
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            whole = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) pos++;
            int exponentStart = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) pos++;
            if (pos == exponentStart) throw error("expected a digit in the exponent");
        }
        if (!whole) {
            if (!rules.fractions) {
                pos = start;
                throw error("only whole numbers belong here");
            }
            return Double.parseDouble(text.substring(start, pos));
        }
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("number too large");
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < sb.length() && Character.isLowSurrogate(sb.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error("string holds an unpaired surrogate \\u" + String.format("%04x", (int) c));
            }
        }
        return sb.toString();
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
        return new MicrogptException(rules.what + " is not valid JSON: " + what + " at " + position());
    }

    /** "character N" for one-line texts, "line L, column C" (both from 1) once the text has line breaks. */
    private String position() {
        if (text.indexOf('\n') < 0) return "character " + pos;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (pos - lineStart + 1);
    }

    /**
     * {@code s} as a JSON string literal the way serde_json writes it (so that files match Python's byte for byte):
     * quotes, backslashes and the control characters below U+0020 escaped ({@code \n}, {@code \t}, {@code \r},
     * {@code \b}, {@code \f}, else a backslash-u escape of four hex digits), everything else as is.
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
