package io.microgpt.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in one JVM register against each other as processes do (the cross-process cases are the CLI's
 * {@code CrossRunFilesTest}), and a file's identity survives the names it is reached by.
 */
class LiveRunsTest {
    @TempDir
    Path dir;

    private static LiveRuns.UsedFile reads(String role, Path p) {
        return new LiveRuns.UsedFile(role, p, LiveRuns.Use.READS);
    }

    private static LiveRuns.UsedFile writes(String role, Path p) {
        return new LiveRuns.UsedFile(role, p, LiveRuns.Use.WRITES);
    }

    @Test
    void aFileOneRunUsesCannotBeWrittenByAnotherUntilTheFirstEnds() throws IOException {
        Path data = Files.writeString(dir.resolve("data.txt"), "anna\nbob\n");
        Path saved = dir.resolve("run.safetensors");
        LiveRuns.Registration first = LiveRuns.register(List.of(reads("--data", data), writes("--save", saved)));
        try {
            MicrogptException e = assertThrows(MicrogptException.class,
                    () -> LiveRuns.register(List.of(writes("--metrics", dir.resolve("./data.txt")))));
            assertEquals("--metrics " + dir.resolve("./data.txt") + " is a file another microgpt run (pid " + ProcessHandle.current().pid()
                    + ") reads as its --data " + data + ": writing it could destroy that run's work; wait for the run to end, or"
                    + " choose another file", e.getMessage());
            assertThrows(MicrogptException.class, () -> LiveRuns.register(List.of(writes("--plot", saved))),
                    "a file not there yet, by its folder and name");
            try (LiveRuns.Registration reader = LiveRuns.register(List.of(reads("--data", saved)))) {
                assertTrue(Files.exists(reader.entry()), "reading what another run writes is allowed");
            }
        } finally {
            first.close();
        }
        assertFalse(Files.exists(first.entry()));
        try (LiveRuns.Registration after = LiveRuns.register(List.of(writes("--metrics", data)))) {
            assertTrue(Files.exists(after.entry()), "free once the first run ended");
        }
    }

    private static LiveRuns.UsedFile shares(String role, Path p) {
        return new LiveRuns.UsedFile(role, p, LiveRuns.Use.SHARES);
    }

    @Test
    void aSharedFileIsWrittenByItsSharersAndNoOneElse() throws IOException {
        Path results = dir.resolve("results.jsonl");
        long pid = ProcessHandle.current().pid();
        try (LiveRuns.Registration task0 = LiveRuns.register(List.of(shares("sweep results", results)));
             LiveRuns.Registration task1 = LiveRuns.register(List.of(shares("sweep results", results)))) {
            assertTrue(Files.exists(task1.entry()), "sharers do not clash");
            try (LiveRuns.Registration reader = LiveRuns.register(List.of(reads("--data", results)))) {
                assertTrue(Files.exists(reader.entry()), "nor does a reader");
            }
            MicrogptException e = assertThrows(MicrogptException.class,
                    () -> LiveRuns.register(List.of(writes("--metrics", dir.resolve("./results.jsonl")))));
            assertEquals("--metrics " + dir.resolve("./results.jsonl") + " is a file another microgpt run (pid " + pid + ") writes as its"
                    + " sweep results " + results + ": writing it could destroy that run's work; wait for the run to end, or choose"
                    + " another file", e.getMessage());
        }
        Path saved = dir.resolve("run.safetensors");
        try (LiveRuns.Registration run = LiveRuns.register(List.of(writes("--save", saved)))) {
            MicrogptException e = assertThrows(MicrogptException.class, () -> LiveRuns.register(List.of(shares("sweep plan", saved))));
            assertEquals("sweep plan " + saved + " is a file another microgpt run (pid " + pid + ") writes as its --save " + saved
                    + ": writing it could destroy that run's work; wait for the run to end, or choose another file", e.getMessage());
        }
    }

    @Test
    void aFileIsKnownByEveryNameItHas() throws IOException {
        Path file = Files.writeString(dir.resolve("f.csv"), "x");
        Files.createDirectory(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("f.csv"));
        Set<String> keys = LiveRuns.keys(file);
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("file ")), keys.toString());
        assertEquals(keys, LiveRuns.keys(link));
        assertEquals(keys, LiveRuns.keys(dir.resolve("sub/../f.csv")));
        assertTrue(Collections.disjoint(keys, LiveRuns.keys(dir.resolve("sub/f.csv"))), "another file has other keys");
        Path missing = dir.resolve("later.csv");
        Set<String> before = LiveRuns.keys(missing);
        assertFalse(before.stream().anyMatch(k -> k.startsWith("file ")), "a file not there yet: its folders and name");
        Files.writeString(missing, "now");
        assertTrue(LiveRuns.keys(missing).containsAll(before), "the same name keys once it exists");
    }

    @Test
    void aFileInFoldersNotThereYetIsKnownOnceTheyAreMade() throws IOException {
        Path deep = dir.resolve("sweep/runs/r0/train.log");
        try (LiveRuns.Registration sweep = LiveRuns.register(List.of(shares("run log", deep)))) {
            Files.createDirectories(deep.getParent());
            Files.writeString(deep, "started\n");
            MicrogptException e = assertThrows(MicrogptException.class,
                    () -> LiveRuns.register(List.of(writes("--save", dir.resolve("sweep/runs/r0/train.log")))));
            assertTrue(e.getMessage().contains("writes as its run log " + deep), e.getMessage());
        }
    }
}
