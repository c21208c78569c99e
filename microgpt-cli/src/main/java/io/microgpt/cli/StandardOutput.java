package io.microgpt.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's standard output as a stream whose failures are seen: every write or flush that fails throws an
 * {@link OutputFailure} (unchecked, so that it passes through the {@code PrintWriter} every command prints with,
 * which would otherwise swallow it as {@code System.out} does). {@link Main} turns it into a quiet end for a
 * closed pipe and one {@code error:} line for anything else. Not buffered: the writer above it buffers.
 */
final class StandardOutput extends OutputStream {
    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);

    @Override
    public void write(int b) {
        try {
            out.write(b);
        } catch (IOException e) {
            throw OutputFailure.of(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            throw OutputFailure.of(e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw OutputFailure.of(e);
        }
    }
}
