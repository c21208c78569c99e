package io.microgpt.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Whether standard output is an interactive terminal (then progress lines overwrite themselves), and how wide. Stateless: thread-safe. */
public final class Terminal {
    private Terminal() {
    }

    /** Whether standard output is a terminal a person watches. */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) return false;
        try {
            // JDK 22+ may return a console for redirected output; it then says whether it is a terminal.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** The terminal's width in columns: what {@code stty size} says, else {@code $COLUMNS}, else 80. */
    public static int columns() {
        Integer fromStty = fromStty();
        if (fromStty != null) return fromStty;
        Integer fromEnv = positive(System.getenv("COLUMNS"));
        return fromEnv != null ? fromEnv : 80;
    }

    /** {@code stty size} on the controlling terminal (current after a resize, unlike {@code $COLUMNS}). */
    private static Integer fromStty() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) return null;
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String answer = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (stty.waitFor(1, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] rowsCols = answer.split("\\s+");
                return rowsCols.length == 2 ? positive(rowsCols[1]) : null;
            }
        } catch (IOException e) {
            // no stty: fall back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static Integer positive(String s) {
        if (s == null) return null;
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
