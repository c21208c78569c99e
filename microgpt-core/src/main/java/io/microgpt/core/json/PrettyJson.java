package io.microgpt.core.json;

import java.util.List;
import java.util.Map;

/**
 * Writes a tree of JSON values in the pretty layout of serde_json (Rust), which Python's {@code tokenizers} uses
 * to save files: two spaces per level, {@code "key": value}, one element per line, {@code {}} and {@code []} for
 * empty containers, no newline at the end. Files we write therefore compare byte for byte with Python's.
 *
 * <p>Values: {@code Map<String, ?>} (written in its iteration order), {@code List<?>}, {@code String},
 * {@code Integer}, {@code Long}, {@code Boolean} and {@code null}. Stateless and thread-safe.
 */
public final class PrettyJson {
    private PrettyJson() {
    }

    /** The value as pretty JSON text. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            Json.appendQuoted(sb, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            String separator = "\n";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(separator);
                separator = ",\n";
                indent(sb, indent + 1);
                Json.appendQuoted(sb, (String) e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
            }
            sb.append('\n');
            indent(sb, indent);
            sb.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            String separator = "\n";
            for (Object element : list) {
                sb.append(separator);
                separator = ",\n";
                indent(sb, indent + 1);
                write(sb, element, indent + 1);
            }
            sb.append('\n');
            indent(sb, indent);
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value this writer knows: " + value.getClass().getName());
        }
    }

    private static void indent(StringBuilder sb, int level) {
        for (int i = 0; i < level; i++) sb.append("  ");
    }
}
