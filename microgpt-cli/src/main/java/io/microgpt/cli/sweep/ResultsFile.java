package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DIR/results.jsonl}: one JSON line per finished run ({@link RunResult}), appended by whichever process
 * finished the run: the local sweep, or one task of a cluster's array job among many writing to the same
 * folder on a shared file system at the same time.
 *
 * <p>Why one file appended under a lock, and not one file per run merged when read: the results are then a
 * file that {@code tail -f}, {@code jq} and a spreadsheet read as it grows, with no merge step that could
 * itself race (a merged file rewritten by two finishing tasks keeps only the last one's view). Each line goes
 * out as a single {@code write} of the whole line on a file opened with {@code O_APPEND}, which on a local
 * file system lands whole at the end even without a lock; NFS does not keep {@code O_APPEND} atomic between
 * machines (each client computes the end itself), so the write is also made under an exclusive POSIX lock on
 * the file ({@code fcntl}, which NFS carries to the server: the client re-reads the file's size when it takes
 * the lock and sends its data before releasing it), and forced to the disk before the lock is released.
 * A file system that cannot lock fails the write with a message rather than risking interleaved lines.
 *
 * <p>Readers skip a line that does not parse (one cut short by a machine that died mid-write on a file system
 * without locks) and say how many they skipped. Thread-safe across processes; within one process, appends are
 * serialised by a monitor (the JVM refuses two overlapping locks of one file).
 */
final class ResultsFile {
    static final String NAME = "results.jsonl";
    private static final Object IN_PROCESS = new Object();

    private ResultsFile() {
    }

    /** Appends one line atomically (see the class comment). */
    static void append(Path dir, RunResult result) {
        Path file = dir.resolve(NAME);
        byte[] line = (result.jsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (IN_PROCESS) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
                 FileLock ignored = channel.lock()) {
                ByteBuffer buffer = ByteBuffer.wrap(line);
                while (buffer.hasRemaining()) channel.write(buffer);
                channel.force(false);
            } catch (IOException e) {
                throw new MicrogptException("cannot append run " + result.index() + "'s result to " + Text.shown(file) + ": "
                        + Text.reason(e) + " (the run itself is saved in its folder; 'microgpt sweep --resume' records it again)", e);
            }
        }
    }

    /** The results read, and how many lines were skipped as unreadable. */
    record Contents(List<RunResult> results, int skipped) {
    }

    /** Every readable line of {@code dir}'s results (none if the file does not exist yet). */
    static Contents read(Path dir) {
        Path file = dir.resolve(NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Contents(List.of(), 0);
        } catch (IOException e) {
            throw new MicrogptException("cannot read " + Text.shown(file) + ": " + Text.reason(e), e);
        }
        List<RunResult> results = new ArrayList<>();
        int skipped = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            try {
                results.add(RunResult.parse(line));
            } catch (IllegalArgumentException e) {
                skipped++;
            }
        }
        return new Contents(results, skipped);
    }
}
