package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This build keeps reading the checkpoints of the previous release, f30ea32. The resource is a run that f30ea32
 * itself saved: {@code train --n-embd 4 --n-head 1 --block-size 8 --steps 6 --stop-after 3 --save ...} (format
 * version 1, without the keys added since). Resumed here, it finishes as the same run does uninterrupted here.
 */
class OldReleaseCheckpointTest {
    private static final String RESOURCE = "f30ea32-names-step-3-of-6.safetensors";
    private static final String[] SHAPE = {"--n-embd", "4", "--n-head", "1", "--block-size", "8"};

    @TempDir
    Path dir;

    private Path copyOfResource() throws IOException {
        Path file = dir.resolve(RESOURCE);
        try (InputStream in = OldReleaseCheckpointTest.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, file);
        }
        return file;
    }

    private static List<String> linesFrom(String out, String first) {
        List<String> lines = out.lines().toList();
        return lines.subList(lines.indexOf(first), lines.size());
    }

    @Test
    void aCheckpointOfThePreviousReleaseResumesExactly() throws IOException {
        Path old = copyOfResource();
        assertEquals(3, Checkpoint.read(old).stepsDone());
        CliRunner resumed = CliRunner.run("train", "--resume", old.toString());
        assertEquals(0, resumed.exitCode(), resumed.describe());

        Path whole = dir.resolve("whole.safetensors");
        String[] args = {"train", SHAPE[0], SHAPE[1], SHAPE[2], SHAPE[3], SHAPE[4], SHAPE[5], "--steps", "6", "--save", whole.toString()};
        CliRunner uninterrupted = CliRunner.run(args);
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.describe());

        String step4 = "step    4 /    6 | loss " + uninterrupted.out().lines().filter(l -> l.startsWith("step    4")).findFirst()
                .orElseThrow().substring("step    4 /    6 | loss ".length());
        assertTrue(resumed.out().contains(step4), "the steps after the resume are the uninterrupted run's\n" + resumed.describe());
        List<String> after = linesFrom(uninterrupted.out(), step4);
        List<String> resumedAfter = linesFrom(resumed.out(), step4);
        assertEquals(after.stream().filter(l -> !l.startsWith("saved")).toList(),
                resumedAfter.stream().filter(l -> !l.startsWith("saved")).toList(), "losses and samples");
        assertArrayEquals(Checkpoint.read(whole).parameters().data(), Checkpoint.read(old).parameters().data(), "final weights");
    }

    @Test
    void aCheckpointOfThePreviousReleaseSamples() throws IOException {
        CliRunner r = CliRunner.run("sample", "--model", copyOfResource().toString(), "--samples", "3");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(4, r.out().lines().count(), r.describe());
    }
}
