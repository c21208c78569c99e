package io.microgpt.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal (then progress lines overwrite themselves). */
final class Terminal {
    private Terminal() {
    }

    static boolean isInteractive() {
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
}
