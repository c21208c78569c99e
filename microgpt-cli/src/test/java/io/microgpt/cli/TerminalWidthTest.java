package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TerminalWidthTest {

    @Test
    void withoutResizeSignalsTheWidthIsReReadEverySecond() {
        int[] width = {100};
        int[] reads = {0};
        long[] now = {0};
        TerminalWidth columns = new TerminalWidth(() -> {
            reads[0]++;
            return width[0];
        }, () -> now[0], false);
        assertEquals(100, columns.getAsInt());
        width[0] = 60;
        now[0] = TerminalWidth.POLL_NANOS / 2;
        assertEquals(100, columns.getAsInt(), "not read again within the interval");
        now[0] = TerminalWidth.POLL_NANOS;
        assertEquals(60, columns.getAsInt(), "read again after it");
        assertEquals(2, reads[0]);
    }
}
