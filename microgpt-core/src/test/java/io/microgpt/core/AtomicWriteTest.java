package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.files.AtomicFile;
import io.microgpt.core.spi.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails at any point leaves the previous file as it was and no temporary file behind. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void failureMidWriteKeepsThePreviousFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        CheckpointFixtures.checkpoint(true).write(file);
        byte[] before = Files.readAllBytes(file);
        MicrogptException e = assertThrows(MicrogptException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[1000]));
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("cannot write " + file + ": disk full (simulated) (any previous file there is untouched)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing(), "no temporary file left behind");
    }

    @Test
    void nonFiniteWeightsAreNotSavedAndThePreviousFileStays() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoint good = CheckpointFixtures.checkpoint(false);
        good.write(file);
        byte[] before = Files.readAllBytes(file);
        Checkpoint diverged = CheckpointFixtures.checkpoint(false);
        diverged.parameters().data()[5] = Double.NaN;
        MicrogptException e = assertThrows(MicrogptException.class, () -> diverged.write(file));
        assertTrue(e.getMessage().startsWith("tensor 'wte' holds NaN, which is not a finite F64; not saving"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));

        Checkpoint tooBigForFloat = CheckpointFixtures.checkpoint(false);
        tooBigForFloat.parameters().data()[0] = 1e300;
        e = assertThrows(MicrogptException.class, () -> tooBigForFloat.write(file, DType.F32));
        assertTrue(e.getMessage().contains("not a finite F32"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void writingIntoAMissingFolderOrOverAFolderFails() throws IOException {
        Checkpoint c = CheckpointFixtures.checkpoint(false);
        MicrogptException e = assertThrows(MicrogptException.class, () -> c.write(dir.resolve("no/such/m.safetensors")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path folder = Files.createDirectory(dir.resolve("folder"));
        e = assertThrows(MicrogptException.class, () -> c.write(folder));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void overwritingReplacesTheWholeFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.write(file, new byte[100_000]);
        CheckpointFixtures.checkpoint(false).write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(9, read.tensors().size());
        assertEquals(List.of(file), listing());
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
