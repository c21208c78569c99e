package io.microgpt.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/**
 * Values from files and flags as they may appear in a message: control and invisible formatting characters
 * (newline, ESC, NUL, U+0085, U+2028, bidi overrides...) escaped as {@code \n} or {@code \u001b}, so that
 * nothing a file says reaches the terminal as a command or breaks a line; and cut to {@link #MAX_SHOWN}
 * characters with an ellipsis, so that a 10 MB field name makes a short message.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class Text {
    /** Characters of a value shown at most (after escaping) before the ellipsis. */
    public static final int MAX_SHOWN = 200;

    private Text() {
    }

    /** The value escaped and cut, without quotes (for paths and numbers). */
    public static String shown(Object value) {
        return escape(String.valueOf(value), false, MAX_SHOWN);
    }

    /** The value escaped (quotes and backslashes too) and cut, in single quotes: {@code 'wte\u001b[31m'}. */
    public static String quote(Object value) {
        return "'" + escape(String.valueOf(value), true, MAX_SHOWN) + "'";
    }

    /** A whole line escaped (backslashes kept as they are) but not cut: a sample, a vocabulary. */
    public static String line(String text) {
        return escape(text, false, Integer.MAX_VALUE);
    }

    /** Characters of a whole message shown at most: a guard behind the bounded values in it. */
    public static final int MAX_MESSAGE = 2000;

    /** A whole message (one line): everything escaped, cut at {@link #MAX_MESSAGE}. */
    public static String message(String text) {
        return escape(text == null ? "" : text, false, MAX_MESSAGE);
    }

    /** A free text (an exception's own message) escaped and cut. */
    public static String bounded(String text) {
        return escape(text == null ? "" : text, false, MAX_SHOWN);
    }

    /** Whether a character is shown escaped. */
    public static boolean isHidden(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }

    private static String escape(String s, boolean quoted, int max) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        for (int i = 0; i < s.length(); ) {
            if (sb.length() >= max) return sb.append("...").toString();
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') sb.append("\\n");
            else if (cp == '\r') sb.append("\\r");
            else if (cp == '\t') sb.append("\\t");
            else if (quoted && (cp == '\'' || cp == '\\')) sb.append('\\').appendCodePoint(cp);
            else if (isHidden(cp)) sb.append(String.format(Locale.ROOT, cp > 0xffff ? "\\U%08x" : "\\u%04x", cp));
            else sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /**
     * An I/O failure's reason in a few words, as the system says it ({@code No space left on device}), or for the
     * file-system failures Java names by their type alone, that type in words ({@code no such file: /x},
     * {@code permission denied: /x}); escaped and cut, never a Java class name.
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String file = f.getFile() == null ? "" : ": " + shown(f.getFile());
            String kind = e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "it already exists"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e instanceof DirectoryNotEmptyException ? "the folder is not empty"
                    : e instanceof FileSystemLoopException ? "symbolic links in a loop"
                    : e instanceof NotLinkException ? "not a symbolic link"
                    : f.getReason() != null ? bounded(f.getReason()) : null;
            if (kind != null) return kind + file;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? "an input/output error" : bounded(message);
    }

    /** A byte count for people: {@code 12 bytes}, {@code 512 kB}, {@code 3.1 MB}, {@code 2.0 GB}. */
    public static String bytes(long bytes) {
        if (bytes < 1_000) return bytes + " bytes";
        if (bytes < 1_000_000) return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
        if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
