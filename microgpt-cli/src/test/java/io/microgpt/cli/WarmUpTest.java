package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's stopping rule, on made-up chunk timings (nothing is timed here). */
class WarmUpTest {

    @Test
    void endsOnceThreeChunksAgreeAfterTheMinimum() {
        WarmUp w = new WarmUp(1.0, 30);
        // interpreted, then compiled: 17x faster, as simd was when the JIT had not reached it
        assertFalse(w.add(70, 0.4, 0.1));
        assertFalse(w.add(4.1, 0.4, 0));
        assertFalse(w.add(4.0, 0.4, 0), "1.2 s, but the first of the last three chunks is the slow one");
        assertTrue(w.add(4.05, 0.4, 0), "three chunks within 5% after 1.6 s");
        assertTrue(w.stable());
        assertEquals(1.6, w.seconds(), 1e-12);
    }

    @Test
    void agreeingChunksBeforeTheMinimumDoNotEndIt() {
        WarmUp w = new WarmUp(1.0, 30);
        for (int i = 0; i < 7; i++) assertFalse(w.add(50, 0.125, 0), "chunk " + i + ": " + w.seconds() + " s");
        assertTrue(w.add(50, 0.125, 0), "1.0 s reached");
        assertTrue(w.stable());
    }

    @Test
    void aChunkInWhichTheJitWasBusyIsNotSteady() {
        WarmUp w = new WarmUp(0.1, 30);
        assertFalse(w.add(10, 0.5, 0));
        assertFalse(w.add(10, 0.5, 0));
        assertFalse(w.add(10, 0.5, 0.01), "compiled for 2% of the chunk");
        assertTrue(w.add(10, 0.5, 0.004), "0.8%: below the 1% allowed");
    }

    @Test
    void ratesMoreThanFivePercentApartKeepItGoingUntilTheLimitWhichEndsItUnsteady() {
        WarmUp w = new WarmUp(1.0, 2.0);
        double[] rates = {10, 11, 10, 11};
        for (int i = 0; i < 3; i++) assertFalse(w.add(rates[i], 0.5, 0));
        assertTrue(w.add(rates[3], 0.5, 0), "2 s: the limit");
        assertFalse(w.stable(), "ended by the limit, not by a steady rate");
    }

    @Test
    void aLimitBelowTheMinimumNeverGivesASteadyWarmUp() {
        WarmUp w = new WarmUp(1.0, 0.2);
        assertTrue(w.add(4, 0.25, 0));
        assertFalse(w.stable());
    }
}
