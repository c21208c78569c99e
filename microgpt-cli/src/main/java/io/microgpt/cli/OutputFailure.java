package io.microgpt.cli;

import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard output could not be written. Either its reader has gone (a closed pipe: {@code microgpt sample | head}),
 * which ends the command quietly with the exit code of a process cut off by its pipe (141, 128 + SIGPIPE), or it
 * failed (a full disk, a closed or read-only descriptor), which ends the command with one {@code error:} line and
 * exit code 2. Thrown by {@link StandardOutput} instead of the error being swallowed, as {@code System.out} would.
 */
final class OutputFailure extends RuntimeException {
    /** Exit code of a command whose output pipe was closed by its reader: what the shell reports for SIGPIPE. */
    static final int EXIT_READER_GONE = 141;

    private final boolean readerGone;
    private final String note;

    private OutputFailure(IOException cause, boolean readerGone, String note) {
        super(cause.getMessage(), cause);
        this.readerGone = readerGone;
        this.note = note;
    }

    /** The failure of a write to standard output. */
    static OutputFailure of(IOException cause) {
        return failed(cause, isBrokenPipe(cause));
    }

    /** A failure already told apart: {@code readerGone} for a closed pipe. */
    static OutputFailure failed(IOException cause, boolean readerGone) {
        return new OutputFailure(cause, readerGone, "");
    }

    /** The same failure, with what was done about it (e.g. where the run was saved) for its error line. */
    OutputFailure withNote(String what) {
        return new OutputFailure((IOException) getCause(), readerGone, what);
    }

    /** Whether the reader went away (a closed pipe or socket), as opposed to the output failing. */
    boolean readerGone() {
        return readerGone;
    }

    /** The error line's text after {@code error: }. */
    String describe() {
        String message = getCause().getMessage();
        return "cannot write to standard output (" + (message == null ? "an input/output error" : Text.bounded(message)) + ")" + note;
    }

    /** The first output failure in a chain of causes, or null. */
    static OutputFailure in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof OutputFailure f) return f;
        return null;
    }

    /** EPIPE: the message the platform gives it, or, where messages differ, standard output being a pipe or socket. */
    private static boolean isBrokenPipe(IOException e) {
        String message = e.getMessage();
        if (message != null && message.toLowerCase(java.util.Locale.ROOT).contains("broken pipe")) return true;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("pipe:") || target.startsWith("socket:");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return false;
        }
    }
}
