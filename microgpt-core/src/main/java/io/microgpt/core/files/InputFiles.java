package io.microgpt.core.files;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens the files the library reads (datasets, checkpoints) the one careful way: regular files only, after
 * following links, so that a FIFO cannot block a read forever and a device such as {@code /dev/zero} cannot
 * fill the heap; and never more bytes than the caller allows.
 *
 * <p>The type is checked before opening, because opening a FIFO already blocks; a file swapped for a FIFO
 * between the check and the open is not caught.
 *
 * <p>Thread-safe (it keeps no state).
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * The file's size after checking that it is a regular file; a {@link MicrogptException} that starts with
     * {@code what + " " + file} otherwise.
     */
    public static long checkRegular(Path file, String what) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        }
        if (attributes.isDirectory()) throw new MicrogptException(what + " " + Text.shown(file) + " is a folder, not a file");
        if (!attributes.isRegularFile()) {
            throw new MicrogptException(what + " " + Text.shown(file) + " is not a regular file (a pipe, device or socket);"
                    + " microgpt reads only regular files: save the content to a file first");
        }
        return attributes.size();
    }

    /** Opens a regular file for reading (see {@link #checkRegular}). */
    public static FileChannel open(Path file, String what) {
        checkRegular(file, what);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        }
    }

    /**
     * All bytes of a regular file of at most {@code maxBytes} bytes; a longer file (or one that grows past the
     * bound while being read) is a {@link MicrogptException} saying both sizes.
     */
    public static byte[] readAll(Path file, String what, long maxBytes) {
        try (FileChannel channel = open(file, what)) {
            long size = channel.size();
            if (size > maxBytes) throw tooLarge(file, what, size, maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) break;
            }
            if (buffer.hasRemaining()) {
                throw new MicrogptException(what + " " + Text.shown(file) + " became shorter while being read (changed by another program?)");
            }
            if (channel.read(ByteBuffer.allocate(1)) > 0) {
                throw new MicrogptException(what + " " + Text.shown(file) + " grew while being read (changed by another program?)");
            }
            return buffer.array();
        } catch (IOException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        }
    }

    /**
     * The text of a regular file of at most {@code maxBytes} bytes that holds UTF-8 (see {@link #readAll}); a
     * {@link MicrogptException} that says so when its bytes are not UTF-8.
     */
    public static String readText(Path file, String what, long maxBytes) {
        byte[] bytes = readAll(file, what, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " is not valid UTF-8");
        }
    }

    /** A path named by a file's metadata or a flag as text: a {@link MicrogptException} if it cannot be a path. */
    public static Path path(String name, String what) {
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new MicrogptException(what + " " + Text.quote(name) + " is not a usable file name (" + Text.bounded(e.getReason()) + ")");
        }
    }

    private static MicrogptException tooLarge(Path file, String what, long size, long maxBytes) {
        return new MicrogptException(what + " " + Text.shown(file) + " is " + Text.bytes(size) + ", more than the "
                + Text.bytes(maxBytes) + " it may be here");
    }
}
