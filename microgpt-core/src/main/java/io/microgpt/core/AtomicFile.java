package io.microgpt.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Replaces a file all at once: the new content goes to a temporary file in the same folder, is flushed to
 * the disk, and is then renamed over the target. A failure at any point leaves the old file as it was.
 */
final class AtomicFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private AtomicFile() {
    }

    /** Writes the whole content of the new file to an open channel. */
    @FunctionalInterface
    interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes {@code target} atomically; a {@link MicrogptException} naming the file and the reason on failure. */
    static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (Files.isDirectory(absolute)) throw failure(target, "it is a folder");
        if (folder == null || !Files.isDirectory(folder)) throw failure(target, "folder " + folder + " does not exist");
        Path temp = null;
        try {
            // CREATE_NEW (not createTempFile) so that the file gets the usual permissions, as the target would
            Path candidate = folder.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            FileChannel opened = FileChannel.open(candidate, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            temp = candidate;
            try (FileChannel channel = opened) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            syncFolder(folder);
        } catch (IOException e) {
            throw failure(target, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and named after the target
                }
            }
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
        return new MicrogptException("cannot write " + target + ": " + why + " (any previous file there is untouched)");
    }
}
