package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microgpt.core.files.OutputFile;
import io.microgpt.core.files.SaveLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A save writes only where the user means to, and keeps what it does not mean to change. */
class SafeSaveTest {
    @TempDir
    Path dir;

    @Test
    void aSymlinkedCheckpointStaysALinkAndItsTargetIsUpdated() throws IOException {
        Path real = Files.createDirectory(dir.resolve("store")).resolve("real.safetensors");
        Files.write(real, new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("link.safetensors"), Path.of("store/real.safetensors"));
        CheckpointFixtures.checkpoint(true).write(link);
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(3, Checkpoint.read(real).stepsDone(), "the file it names holds the new checkpoint");
        assertEquals(List.of(real), listing(real.getParent()), "no temporary file beside the real file");
    }

    @Test
    void aHardLinkedTargetIsRefusedAndLeftAsItWas() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Files.write(file, new byte[] {9, 9});
        Files.createLink(dir.resolve("other-name"), file);
        MicrogptException e = assertThrows(MicrogptException.class, () -> CheckpointFixtures.checkpoint(false).write(file));
        assertEquals("cannot write " + file + " has 2 hard links; replacing it would leave the other names with the old content:"
                + " save to a new name, or remove the other links first", e.getMessage());
        assertArrayEquals(new byte[] {9, 9}, Files.readAllBytes(file));
    }

    @Test
    void permissionsOfTheReplacedFileAreKept() throws IOException {
        Path file = dir.resolve("m.safetensors");
        CheckpointFixtures.checkpoint(false).write(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        CheckpointFixtures.checkpoint(true).write(file);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Checkpoint.read(file).trainingState().isPresent());
    }

    @Test
    void aFifoOrADeviceIsRefusedAsATargetAndLeftAsItIs() throws Exception {
        Path fifo = mkfifo("pipe");
        MicrogptException e = assertThrows(MicrogptException.class, () -> OutputFile.check(fifo, "--save"));
        assertEquals("--save " + fifo + " is not a regular file (a device, FIFO or socket): microgpt writes only regular files"
                + " and leaves this one as it is", e.getMessage());
        assertThrows(MicrogptException.class, () -> CheckpointFixtures.checkpoint(false).write(fifo));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still the FIFO");
        e = assertThrows(MicrogptException.class, () -> OutputFile.check(Path.of("/dev/null"), "--save"));
        assertTrue(e.getMessage().startsWith("--save /dev/null is not a regular file"), e.getMessage());
        e = assertThrows(MicrogptException.class, () -> OutputFile.check(dir, "--save"));
        assertEquals("--save " + dir + " is a folder; give a file name", e.getMessage());
    }

    @Test
    void temporaryFilesOfAKilledSaveAreRemovedByTheNextSave() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Path stale1 = Files.write(dir.resolve(".m.safetensors.1f2e3d4c5b6a7988.tmp"), new byte[5000]);
        Path stale2 = Files.write(dir.resolve(".m.safetensors.ab.tmp"), new byte[10]);
        Path notOurs = Files.write(dir.resolve(".m.safetensors.notes.tmp"), new byte[10]);
        Path otherTarget = Files.write(dir.resolve(".n.safetensors.0123.tmp"), new byte[10]);
        Path busy = Files.write(dir.resolve(".m.safetensors.00ff.tmp"), new byte[10]);
        try (FileChannel held = FileChannel.open(busy, StandardOpenOption.WRITE); FileLock lock = held.lock()) {
            CheckpointFixtures.checkpoint(false).write(file);
        }
        assertFalse(Files.exists(stale1));
        assertFalse(Files.exists(stale2));
        assertTrue(Files.exists(notOurs), "a name that is not a save's temporary file stays");
        assertTrue(Files.exists(otherTarget), "another target's temporary file stays");
        assertTrue(Files.exists(busy), "a temporary file a save is writing (locked) stays");
        assertEquals(9, Checkpoint.read(file).tensors().size());
    }

    @Test
    void sameFileComparesFilesNotStrings() throws IOException {
        Path file = Files.write(dir.resolve("names.txt"), new byte[] {'a'});
        assertTrue(OutputFile.same(file, dir.resolve("./names.txt")));
        assertTrue(OutputFile.same(file, dir.resolve("sub/../names.txt").normalize()));
        assertTrue(OutputFile.same(file, Files.createSymbolicLink(dir.resolve("ln"), file)));
        assertTrue(OutputFile.same(file, Files.createLink(dir.resolve("hard"), file)));
        assertFalse(OutputFile.same(file, dir.resolve("other.txt")));
        assertTrue(OutputFile.same(dir.resolve("new.csv"), dir.resolve(".").resolve("new.csv")), "not there yet: same folder and name");
        assertTrue(OutputFile.same(dir.resolve("ln2"), Files.createSymbolicLink(dir.resolve("ln2"), dir.resolve("x"))
                .resolveSibling("x")), "a dangling link and the file it will create");
    }

    @Test
    void aSecondRunSavingToTheSameFileIsRefusedAndNamesTheFirst() throws Exception {
        Path target = dir.resolve("run.safetensors");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SaveLockHolder.class.getName(), target.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", lines.readLine());
            MicrogptException e = assertThrows(MicrogptException.class, () -> SaveLock.acquire(target));
            assertEquals(target + " is being saved to by another microgpt run (pid " + other.pid() + "); wait for it to end,"
                    + " or save to another file", e.getMessage());
            Path link = Files.createSymbolicLink(dir.resolve("alias"), target);
            assertThrows(MicrogptException.class, () -> SaveLock.acquire(link), "a link to the same file shares the lock");
        } finally {
            other.destroyForcibly();   // SIGKILL: the run has no chance to clean up
            other.waitFor(30, TimeUnit.SECONDS);
        }
        try (SaveLock lock = SaveLock.acquire(target)) {
            assertTrue(Files.exists(lock.file()), "a killed run's leftover lock file is reused");
            MicrogptException e = assertThrows(MicrogptException.class, () -> SaveLock.acquire(target));
            assertTrue(e.getMessage().contains("another run in this process"), e.getMessage());
        }
        assertEquals(List.of(), listing(dir).stream().filter(p -> p.toString().endsWith(".lock")).toList(),
                "a run that ends removes its lock file");
    }

    private Path mkfifo(String name) throws Exception {
        Path fifo = dir.resolve(name);
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0, "mkfifo available");
        return fifo;
    }

    private static List<Path> listing(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }
}
