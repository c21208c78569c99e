package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TrapLimitCheckTest {

    @Test
    void hotSpotTellsItsLimit() {
        OptionalLong limit = TrapLimitCheck.current();
        assertTrue(limit.isPresent(), "the test JVM is HotSpot and has PerMethodTrapLimit");
        assertTrue(limit.getAsLong() >= 0, "limit " + limit);
    }

    @Test
    void belowTheLauncherValueSaysWhatToPass() {
        Optional<String> note = TrapLimitCheck.warning(OptionalLong.of(100));
        assertTrue(note.isPresent());
        assertTrue(note.get().contains("-XX:PerMethodTrapLimit=100;"), note.get());
        assertTrue(note.get().contains("Start java with -XX:PerMethodTrapLimit=1000"), note.get());
        assertEquals(1, note.get().lines().count(), "one line");
    }

    @Test
    void atOrAboveItOrUnknownSaysNothing() {
        assertEquals(Optional.empty(), TrapLimitCheck.warning(OptionalLong.of(1000)));
        assertEquals(Optional.empty(), TrapLimitCheck.warning(OptionalLong.of(5000)));
        assertEquals(Optional.empty(), TrapLimitCheck.warning(OptionalLong.empty()));
    }
}
