package io.microgpt.core.files;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Replaces a file all at once: the new content goes to a temporary file in the same folder, is flushed to
 * the disk, and is then renamed over the target. A failure at any point leaves the old file as it was.
 *
 * <p>Thread-safe: writes to one target from several threads or processes each land whole, one after the other (the
 * last rename wins); a temporary file being written is never taken for a stale one.
 */
public final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern TEMPORARY_SUFFIX = Pattern.compile("[0-9a-f]{1,16}\\.tmp");
    private AtomicFile() {
    }

    /** Writes the whole content of the new file to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically; a {@link MicrogptException} naming the file and the reason on failure.
     * The target is first checked by {@link OutputFile#check} (a symbolic link is followed and the file it
     * names replaced; folders, devices, FIFOs, hard-linked files and other users' files are refused); the
     * new file gets the old one's permissions and group; temporary files that a killed earlier save left
     * beside the target are removed.
     */
    public static void write(Path target, Content content) {
        try (Replacement replacement = begin(target)) {
            try {
                content.writeTo(replacement.channel());
            } catch (IOException e) {
                throw failure(target, Text.reason(e));
            }
            replacement.commit();
        }
    }

    /**
     * Starts replacing {@code target} with content written bit by bit (a file that grows during a run): the
     * content goes to a temporary file beside it, and only {@link Replacement#commit} puts it in the target's
     * place; closing without committing removes the temporary file and leaves the target as it was. Checks and
     * clean-up as {@link #write}.
     */
    public static Replacement begin(Path target) {
        Path absolute = OutputFile.check(target, "cannot write");
        Path folder = absolute.getParent();
        String name = absolute.getFileName().toString();
        removeStaleTemporaries(folder, name);
        Path temp = folder.resolve("." + name + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            // CREATE_NEW (not createTempFile) so that the file gets the usual permissions, as the target would
            FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            try {
                // held until the rename, so that another save's clean-up never takes this file for a stale one
                return new Replacement(target, absolute, temp, channel, channel.tryLock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(temp);
                throw e;
            }
        } catch (IOException e) {
            throw failure(target, Text.reason(e));
        }
    }

    /**
     * The new content of a file, being written to a temporary file beside it: {@link #commit} replaces the file
     * with it, {@link #close} without a commit throws it away. One thread at a time.
     */
    public static final class Replacement implements AutoCloseable {
        private final Path target;
        private final Path absolute;
        private final Path temp;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean done;

        private Replacement(Path target, Path absolute, Path temp, FileChannel channel, FileLock lock) {
            this.target = target;
            this.absolute = absolute;
            this.temp = temp;
            this.channel = channel;
            this.lock = lock;
        }

        /** Where the new content goes. */
        public FileChannel channel() {
            return channel;
        }

        /**
         * Flushes the content to the disk and renames it over the target (keeping the old file's permissions and
         * group); a {@link MicrogptException} if that fails, the target then left as it was.
         */
        public void commit() {
            if (done) throw new IllegalStateException("already committed or closed");
            try {
                channel.force(true);
                PosixFileAttributes previous = OutputFile.posixAttributes(absolute);
                if (previous != null) keepAttributes(temp, previous, target);
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
                done = true;
                if (lock != null) lock.release();
                channel.close();
            } catch (IOException e) {
                throw failure(target, Text.reason(e));
            } finally {
                if (!done) close();
            }
            syncFolder(absolute.getParent());
        }

        /** Without a {@link #commit}: removes the temporary file, the target left as it was. After one: nothing. */
        @Override
        public void close() {
            if (done) return;
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing drops the lock too; the file goes next
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: the temporary file is hidden and named after the target, and the next save removes it
            }
        }
    }

    /** Gives the new file the permissions, group and (when running as root) owner of the file it replaces. */
    private static void keepAttributes(Path temp, PosixFileAttributes previous, Path target) throws IOException {
        Files.setPosixFilePermissions(temp, previous.permissions());
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes now = view.readAttributes();
        try {
            if (!now.group().equals(previous.group())) view.setGroup(previous.group());
            if (!now.owner().equals(previous.owner())) view.setOwner(previous.owner());
        } catch (IOException e) {
            throw new MicrogptException("cannot write " + Text.shown(target) + ": it belongs to " + Text.shown(previous.owner().getName())
                    + ":" + Text.shown(previous.group().getName()) + " and the new file could not keep that (" + Text.reason(e)
                    + "); save to a new name (any previous file there is untouched)", e);
        }
    }

    /**
     * Removes {@code .NAME.<hex>.tmp} files beside the target that no save holds (a save locks its temporary
     * file until the rename, and the system drops the lock of a killed process).
     */
    public static void removeStaleTemporaries(Path folder, String name) {
        String prefix = "." + name + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, entry -> {
            String n = entry.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp")
                    && TEMPORARY_SUFFIX.matcher(n.substring(prefix.length())).matches();
        })) {
            for (Path stale : entries) {
                if (!Files.isRegularFile(stale, LinkOption.NOFOLLOW_LINKS)) continue;
                try (FileChannel channel = FileChannel.open(stale, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    FileLock lock = channel.tryLock();
                    if (lock == null) continue;   // another process is writing it
                    Files.deleteIfExists(stale);
                    lock.release();
                } catch (OverlappingFileLockException inUse) {
                    // this JVM is writing it right now
                } catch (IOException ignored) {
                    // not ours to remove (permissions) or gone already
                }
            }
        } catch (IOException ignored) {
            // the folder cannot be listed: the save itself will say why if it fails
        }
    }

    /** Makes the rename itself durable where the platform allows syncing a folder (Linux does; others may not). */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here: the rename is still atomic, only its durability is up to the OS
        }
    }

    private static MicrogptException failure(Path target, String why) {
        return new MicrogptException("cannot write " + Text.shown(target) + ": " + why + " (any previous file there is untouched)");
    }
}
