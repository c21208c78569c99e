package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentRateTest {

    /** Feeds steps of the given wall time (computation: 90% of it) until {@code untilNanos}; returns the new wall time. */
    private static long run(RecentRate rate, long wall, long untilNanos, long stepNanos, int[] steps) {
        for (; wall + stepNanos <= untilNanos; ) {
            wall += stepNanos;
            rate.update(wall, ++steps[0], wall * 9 / 10, 16);
        }
        return wall;
    }

    @Test
    void warmsUpWhileTheRateClimbsThenForgetsTheSlowStart() {
        // The run: the first steps are 25x slower while the JIT compiles (25 ms, then 1 ms a step).
        RecentRate rate = new RecentRate();
        int[] steps = {0};
        long wall = run(rate, 0, 1_500_000_000L, 25_000_000L, steps);
        assertFalse(rate.ready(), "no rate while the JIT compiles");
        wall = run(rate, wall, 3_500_000_000L, 1_000_000L, steps);
        assertFalse(rate.ready(), "the rate climbed by more than 15% in the last second: still warming up");
        assertTrue(Double.isNaN(rate.nanosPerStep()));
        wall = run(rate, wall, 7_500_000_000L, 1_000_000L, steps);
        assertTrue(rate.ready(), "settled");
        // 1 ms a step, 0.9 ms of computation per 16 samples; after 6 s of fast steps the slow ones weigh e^-6 of the
        // step rate: the estimate is within 1%, where the average since the start is 24% off.
        assertEquals(1_000_000, rate.nanosPerStep(), 10_000, "recent wall time per step");
        assertEquals(900_000 / 16.0, rate.computeNanosPerSample(), 900_000 / 16.0 / 100, "recent computation per sample");
        double sinceStart = (double) wall / steps[0];
        assertTrue(sinceStart > 1.2 * rate.nanosPerStep(), "the average since the start would be far off: " + sinceStart);
    }

    @Test
    void followsAChangeOfPaceWithinSecondsOnceShown() {
        RecentRate rate = new RecentRate();
        int[] steps = {0};
        long wall = run(rate, 0, 5_000_000_000L, 1_000_000L, steps);
        assertTrue(rate.ready(), "a steady rate is shown two checks after the warm-up");
        assertEquals(1_000_000, rate.nanosPerStep(), 1_000);
        // Steps become 4x slower (another program took the core): 6 s later the rate is within 5% of the new one
        // (e^-6 of the old rate, 4x the new one, is left: 1%), and it was shown all along.
        run(rate, wall, wall + 6_000_000_000L, 4_000_000L, steps);
        assertTrue(rate.ready());
        assertEquals(4_000_000, rate.nanosPerStep(), 0.05 * 4_000_000);
    }

    @Test
    void aRateThatNeverSettlesIsShownAfterTenSeconds() {
        RecentRate rate = new RecentRate();
        int[] steps = {0};
        long wall = 0;
        long stepNanos = 8_000_000L;
        while (wall < 10_500_000_000L) {   // 30% faster every second, for ever
            wall = run(rate, wall, wall + 1_000_000_000L, stepNanos, steps);
            stepNanos = stepNanos * 10 / 13;
            if (wall < RecentRate.WARM_UP_NANOS + RecentRate.MAX_WARM_UP_NANOS - 1_000_000_000L) assertFalse(rate.ready());
        }
        wall = run(rate, wall, 12_000_000_000L, stepNanos, steps);
        assertTrue(rate.ready());
    }

    @Test
    void slowStepsGiveARateOnceTwoOfThemAgree() {
        RecentRate rate = new RecentRate();
        rate.update(2_000_000_000L, 1, 2_000_000_000L, 1);   // one step of 2 s: the warm-up
        rate.update(4_000_000_000L, 2, 4_000_000_000L, 1);   // first check: nothing to compare with
        assertFalse(rate.ready());
        rate.update(6_000_000_000L, 3, 6_000_000_000L, 1);
        assertTrue(rate.ready());
        assertEquals(2e9, rate.nanosPerStep(), 1);
    }
}
