package io.microgpt.core.files;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * An advisory lock that one run holds on the file it saves to, for as long as it runs, so that a second run
 * saving to the same file refuses to start instead of the two silently replacing each other's saves.
 *
 * <p>The lock is the operating system's lock ({@link FileChannel#tryLock}) on a small file beside the target,
 * {@code .NAME.lock}, which holds the owner's process id for the message. The system drops the lock when the
 * process ends in any way, so a killed run never blocks the next one (its leftover file is simply reused);
 * {@link #close} removes the file. Only processes that take this lock are kept out: other programs are not.
 *
 * <p>{@link #acquire} is thread-safe: a second acquire of a target already held in this process is refused like one
 * from another process; {@link #close} belongs to the holder.
 */
public final class SaveLock implements AutoCloseable {
    private static final int ATTEMPTS = 5;

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private SaveLock(Path lockFile, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock for saves to {@code target} (symbolic links followed, so that two names of one file share
     * it), or throws a {@link MicrogptException} naming the process that holds it.
     */
    public static SaveLock acquire(Path target) {
        Path resolved = OutputFile.followLinks(target, Text.shown(target));
        Path lockFile = resolved.resolveSibling("." + resolved.getFileName() + ".lock");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object before = fileKey(lockFile);
            FileChannel channel;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new MicrogptException("cannot lock " + Text.shown(target) + " for this run (" + Text.shown(lockFile) + ": "
                        + Text.reason(e) + ")", e);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                close(channel);
                throw new MicrogptException(Text.shown(target) + " is being saved to by another run in this process;"
                        + " save to another file");
            } catch (IOException e) {
                close(channel);
                throw new MicrogptException("cannot lock " + Text.shown(target) + " for this run: " + Text.reason(e), e);
            }
            if (lock == null) {
                String holder = holder(channel);
                close(channel);
                throw new MicrogptException(Text.shown(target) + " is being saved to by another microgpt run (" + holder + ");"
                        + " wait for it to end, or save to another file");
            }
            // the file may have been removed (and another created) by a run that ended in between: lock the one there now
            if (before != null && Objects.equals(before, fileKey(lockFile))) {
                writeOwner(channel);
                return new SaveLock(lockFile, channel, lock);
            }
            close(channel);
        }
        throw new MicrogptException("cannot lock " + Text.shown(target) + " for this run: " + Text.shown(lockFile)
                + " keeps changing (other runs starting and ending)");
    }

    private static Object fileKey(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(200);
            channel.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "process unknown" : Text.shown(text);
        } catch (IOException e) {
            return "process unknown";
        }
    }

    private static void writeOwner(FileChannel channel) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException ignored) {
            // the pid is for the message only
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing held
        }
    }

    /** The lock file, beside the target. */
    public Path file() {
        return lockFile;
    }

    /** Removes the lock file and releases the lock. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException ignored) {
            // a leftover lock file is harmless: the lock, not the file, keeps other runs out
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }
}
