package io.microgpt.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The terminal's width, kept current while a live line is drawn: read once at the start, then again whenever
 * the terminal reports a resize (the {@code SIGWINCH} signal, handled on the JVM's signal thread, so the
 * training thread never waits for {@code stty}). Where that signal cannot be caught, the width is re-read
 * at most every {@link #POLL_NANOS} when asked for. Asked by one thread (the one drawing); the signal thread only
 * updates the width.
 */
public final class TerminalWidth implements IntSupplier {
    /** Re-read interval where resizes are not signalled. */
    static final long POLL_NANOS = 1_000_000_000L;

    private final IntSupplier read;
    private final LongSupplier clock;
    private final boolean signalled;
    private volatile int columns;
    private long lastRead;

    /** Follows the real terminal. */
    public static TerminalWidth ofTerminal() {
        return new TerminalWidth(Terminal::columns, System::nanoTime, true);
    }

    /**
     * @param read            reads the width now
     * @param clock           nanosecond clock for the polling fallback
     * @param listenForResize whether to try to catch {@code SIGWINCH}; when it cannot be caught, poll instead
     */
    TerminalWidth(IntSupplier read, LongSupplier clock, boolean listenForResize) {
        this.read = read;
        this.clock = clock;
        this.columns = read.getAsInt();
        this.lastRead = clock.getAsLong();
        this.signalled = listenForResize && onResize(() -> columns = read.getAsInt());
    }

    @Override
    public int getAsInt() {
        if (!signalled && clock.getAsLong() - lastRead >= POLL_NANOS) {
            columns = read.getAsInt();
            lastRead = clock.getAsLong();
        }
        return columns;
    }

    /**
     * Runs {@code action} on each {@code SIGWINCH}; false where the JVM cannot catch it (e.g. Windows). The
     * handler is registered through reflection because {@code sun.misc.Signal} (module jdk.unsupported) is
     * the JDK's only way to catch a signal and javac warns on every direct use of it.
     */
    private static boolean onResize(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            InvocationHandler onSignal = (proxy, method, args) -> switch (method.getName()) {
                case "handle" -> {
                    action.run();
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "terminal resize handler";
            };
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, onSignal);
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("WINCH"), handler);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;   // no such signal here (IllegalArgumentException), or no jdk.unsupported: poll instead
        }
    }
}
