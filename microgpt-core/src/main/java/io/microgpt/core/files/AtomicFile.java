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
        Path absolute = OutputFile.check(target, "cannot write");
        Path folder = absolute.getParent();
        String name = absolute.getFileName().toString();
        removeStaleTemporaries(folder, name);
        PosixFileAttributes previous = OutputFile.posixAttributes(absolute);
        Path temp = null;
        try {
            // CREATE_NEW (not createTempFile) so that the file gets the usual permissions, as the target would
            Path candidate = folder.resolve("." + name + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            FileChannel opened = FileChannel.open(candidate, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            temp = candidate;
            try (FileChannel channel = opened) {
                // held until the rename, so that another save's clean-up never takes this file for a stale one
                FileLock lock = channel.tryLock();
                content.writeTo(channel);
                channel.force(true);
                if (previous != null) keepAttributes(temp, previous, target);
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
                temp = null;
                if (lock != null) lock.release();
            }
            syncFolder(folder);
        } catch (IOException e) {
            throw failure(target, Text.reason(e));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target, and the next save removes it
                }
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
