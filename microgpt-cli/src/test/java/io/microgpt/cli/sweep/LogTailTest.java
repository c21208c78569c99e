package io.microgpt.cli.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's log read as it grows: whole lines only, from the attempt's offset on. */
class LogTailTest {
    @TempDir
    Path tmp;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void progressComesFromWholeLinesOfThisAttempt() throws Exception {
        Path log = tmp.resolve("train.log");
        append(log, "step   99 /  100 | loss 9.0000\nerror: an earlier attempt's\n");
        LogTail tail = new LogTail(log, Files.size(log));
        append(log, "== attempt 2\nresuming runs/001/checkpoint.safetensors at step 40 / 100\nstep   41 /  100 | loss 2.5");
        tail.read();
        assertEquals(40, tail.step(), "the resumed step; the cut line is not read yet");
        assertEquals(40, tail.resumedAt());
        assertEquals(100, tail.total());
        append(log, "123\nstep   50 /  100 | loss 2.4000 | val 2.4500 | val bpc 3.5346\n");
        tail.read();
        assertEquals(50, tail.step());
        assertEquals(2.4, tail.loss());
        assertEquals(2.45, tail.validation());
        assertEquals(null, tail.error(), "an error of an earlier attempt is not this attempt's");
        append(log, "error: --data x.txt does not exist\n");
        tail.read();
        assertEquals("--data x.txt does not exist", tail.error());
    }
}
