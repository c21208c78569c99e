package io.microgpt.cli.sweep;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a run's log as {@code train} writes it (its plain progress lines, since its output is a file), from
 * a given offset: the latest step, loss and validation loss, the step it resumed from, and the last
 * {@code error:} line. Reads only what was added since the last call. Not thread-safe.
 */
final class LogTail {
    /** {@code step   12 /  200 | loss 2.3456} with an optional {@code | val 2.4567}. */
    private static final Pattern STEP = Pattern.compile("^step\\s+(\\d+)\\s*/\\s*(\\d+)\\s*\\|\\s*loss\\s+(\\S+)(?:\\s*\\|\\s*val\\s+(\\S+))?");
    private static final Pattern RESUMING = Pattern.compile("^resuming .* at step (\\d+) / (\\d+)");
    private static final int MAX_LINE = 4096;

    private final Path file;
    private long offset;
    private final StringBuilder partial = new StringBuilder();
    private int step;
    private int total;
    private double loss = Double.NaN;
    private double validation = Double.NaN;
    private int resumedAt = -1;
    private String error;
    private String lastLine = "";

    LogTail(Path file, long offset) {
        this.file = file;
        this.offset = offset;
    }

    /** Reads what was added; a log that cannot be read now is read next time. */
    void read() {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) return;
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - offset, 1 << 20));
            int n = channel.read(buffer, offset);
            if (n <= 0) return;
            // cut at the last newline so that a multi-byte character is never split
            int end = n;
            while (end > 0 && buffer.get(end - 1) != '\n') end--;
            if (end == 0 && n < buffer.capacity()) return;
            if (end == 0) end = n;
            offset += end;
            partial.append(new String(buffer.array(), 0, end, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return;
        }
        int newline;
        while ((newline = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, Math.min(newline, MAX_LINE)));
            partial.delete(0, newline + 1);
        }
    }

    private void line(String line) {
        if (line.isBlank()) return;
        lastLine = line.strip();
        Matcher m = STEP.matcher(line);
        if (m.find()) {
            step = Integer.parseInt(m.group(1));
            total = Integer.parseInt(m.group(2));
            loss = number(m.group(3));
            if (m.group(4) != null) validation = number(m.group(4));
            return;
        }
        m = RESUMING.matcher(line);
        if (m.find()) {
            resumedAt = Integer.parseInt(m.group(1));
            step = resumedAt;
            total = Integer.parseInt(m.group(2));
            return;
        }
        if (line.startsWith("error: ")) error = line.substring("error: ".length()).strip();
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    int step() {
        return step;
    }

    int total() {
        return total;
    }

    double loss() {
        return loss;
    }

    double validation() {
        return validation;
    }

    /** The step a resumed attempt started from, or -1. */
    int resumedAt() {
        return resumedAt;
    }

    /** The message of the last {@code error:} line, or null. */
    String error() {
        return error;
    }

    /** The last line that is not blank. */
    String lastLine() {
        return lastLine;
    }
}
