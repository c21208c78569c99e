package io.microgpt.core.files;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * The checks made on a file before anything is written to it, so that a run fails at its start instead of
 * after hours of training, and so that a save writes only where the user means to: the folder exists and is
 * writable; a symbolic link is followed to the file it names (which is then the one replaced); what is there
 * already is a regular file (not a folder, device or FIFO), has no other hard link (replacing it would
 * silently split the links), and is owned by the user who writes (replacing it would change its owner).
 *
 * <p>Thread-safe (it keeps no state); what it checks can change after it checked, as with any check of a file.
 */
public final class OutputFile {
    private static final int MAX_LINK_HOPS = 40;

    private OutputFile() {
    }

    /**
     * The file a write to {@code file} replaces, symbolic links followed (a dangling link gives the path it
     * points to), after every check above; a {@link MicrogptException} starting with {@code what + " " + file}
     * otherwise. {@code what} names the file for the user, e.g. {@code --save} or {@code checkpoint}.
     */
    public static Path check(Path file, String what) {
        String named = what + " " + Text.shown(file);
        Path resolved = followLinks(file, named);
        Path folder = resolved.toAbsolutePath().getParent();
        if (Files.isDirectory(resolved)) throw new MicrogptException(named + " is a folder; give a file name");
        if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) checkExisting(resolved, named);
        if (folder == null || !Files.isDirectory(folder)) {
            throw new MicrogptException(named + ": folder " + Text.shown(folder) + " does not exist; create it first");
        }
        if (!Files.isWritable(folder)) throw new MicrogptException(named + ": folder " + Text.shown(folder) + " is not writable");
        return resolved;
    }

    private static void checkExisting(Path file, String named) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new MicrogptException(named + " is not a regular file (a device, FIFO or socket): microgpt writes only"
                    + " regular files and leaves this one as it is");
        }
        if (!Files.isWritable(file)) throw new MicrogptException(named + " cannot be written (permission denied)");
        try {
            Map<String, Object> unix = Files.readAttributes(file, "unix:nlink,uid", LinkOption.NOFOLLOW_LINKS);
            int links = ((Number) unix.get("nlink")).intValue();
            if (links > 1) {
                throw new MicrogptException(named + " has " + links + " hard links; replacing it would leave the other names"
                        + " with the old content: save to a new name, or remove the other links first");
            }
            int owner = ((Number) unix.get("uid")).intValue();
            Integer me = currentUid(file.toAbsolutePath().getParent());
            if (me != null && me != 0 && owner != me) {
                PosixFileAttributes posix = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                throw new MicrogptException(named + " belongs to " + Text.shown(posix.owner().getName()) + "; replacing it would"
                        + " make it yours: save to a new name");
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a Unix file system: no link count or owner to keep
        } catch (IOException e) {
            throw new MicrogptException(named + " cannot be checked: " + Text.reason(e), e);
        }
    }

    /** The uid files created by this process get, from a probe in the folder; null when it cannot tell. */
    private static Integer currentUid(Path folder) {
        try {
            Path probe = Files.createTempFile(folder, ".microgpt-owner-", ".tmp");
            try {
                return ((Number) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Follows symbolic links (relative ones against the link's folder) to the path a write lands on. */
    static Path followLinks(Path file, String named) {
        Path p = file.toAbsolutePath();
        for (int hop = 0; Files.isSymbolicLink(p); hop++) {
            if (hop == MAX_LINK_HOPS) throw new MicrogptException(named + " is a chain of more than " + MAX_LINK_HOPS + " symbolic links");
            try {
                Path parent = p.getParent();
                p = parent.resolve(Files.readSymbolicLink(p)).normalize();
            } catch (IOException e) {
                throw new MicrogptException(named + " is a symbolic link that cannot be read: " + Text.reason(e), e);
            }
        }
        return p;
    }

    /**
     * Whether two paths name the same file: for existing files the same device and inode
     * ({@link Files#isSameFile}), so that {@code ./x}, {@code x}, symbolic and hard links all count; for a
     * file not there yet, the same folder (compared as files) and the same name after following links.
     */
    public static boolean same(Path a, Path b) {
        Objects.requireNonNull(a);
        Objects.requireNonNull(b);
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
            Path ra = followLinks(a, a.toString());
            Path rb = followLinks(b, b.toString());
            if (!ra.getFileName().equals(rb.getFileName())) return false;
            Path fa = ra.getParent();
            Path fb = rb.getParent();
            if (Files.exists(fa) && Files.exists(fb)) return Files.isSameFile(fa, fb);
            return fa.normalize().equals(fb.normalize());
        } catch (IOException | MicrogptException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** A file's posix permissions and owner; null when it is not there or the file system has none. */
    static PosixFileAttributes posixAttributes(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
