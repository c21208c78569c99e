package io.microgpt.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingFlops;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The phase clock: every phase of a step marked, the phases adding up to the step, the same bits with the clock on. */
class PhaseClockTest {
    private static final int STEPS = 3;

    /** A clock whose every reading is one tick later: each mark then adds exactly 1 to its phase. */
    private static PhaseClock tickClock() {
        long[] ticks = {0};
        return new PhaseClock(() -> ticks[0]++);
    }

    /** Losses of {@value #STEPS} steps (two chunks each, as chunkRows cuts them), then the weights. */
    private static double[][] train(ModelConfig config, PhaseClock clock, int chunkRows) {
        Parameters weights = Fixtures.weights(config, 5);
        try (SimdEngine engine = new SimdEngine(weights, new EngineOptions(1), chunkRows, SimdEngine.Sharing.AUTO, clock)) {
            double[] losses = new double[STEPS];
            for (int s = 0; s < STEPS; s++) {
                clock.startStep();
                losses[s] = engine.trainStep(Fixtures.batch(16 * s, 16), AdamStep.of(TrainingConfig.reference(), s));
                clock.endStep();
            }
            return new double[][] {losses, engine.parameters().data()};
        }
    }

    @Test
    void everyPhaseIsMarkedAndThePhasesAddUpToTheStep() {
        ModelConfig config = Fixtures.config(16, 4, 2, 16);
        PhaseClock clock = tickClock();
        train(config, clock, 0);
        assertEquals(STEPS, clock.steps());
        for (Phase p : Phase.ALL) assertTrue(clock.time(p) > 0, p + " never marked");
        // the one tick no phase takes per step: the step's end
        assertEquals(STEPS, clock.unaccounted());
        long sum = 0;
        for (Phase p : Phase.ALL) sum += clock.time(p);
        assertEquals(clock.stepTime(), sum + clock.unaccounted());
        // per part: lm_head once, each of 2 layers once (attention), the norms twice per layer and once for the embeddings
        long parts = clock.time(Phase.LM_HEAD_FORWARD);
        assertEquals(2 * parts, clock.time(Phase.ATTENTION_FORWARD));
        assertEquals(5 * parts, clock.time(Phase.RMSNORM_FORWARD));
        assertEquals(5 * parts, clock.time(Phase.RMSNORM_BACKWARD));
        assertEquals(parts, clock.time(Phase.CROSS_ENTROPY));
        // Adam and the refresh once per tensor per step
        int tensors = new PaddedLayout(Fixtures.weights(config, 5).layout()).tensorCount();
        assertEquals((long) tensors * STEPS, clock.time(Phase.ADAM));
    }

    @Test
    void theClockChangesNoBit() {
        ModelConfig config = Fixtures.config(24, 3, 2, 16);
        double[][] plain = train(config, PhaseClock.OFF, 0);
        double[][] timed = train(config, PhaseClock.nanoTime(), 0);
        assertArrayEquals(plain[0], timed[0], 0.0, "losses differ");
        assertArrayEquals(plain[1], timed[1], 0.0, "weights differ");
        // and cut into chunks
        assertArrayEquals(train(config, PhaseClock.OFF, 32)[1], train(config, tickClock(), 32)[1], 0.0, "weights differ, chunks of 32 rows");
    }

    @Test
    void thePhasesFlopsAreTheTrainingFlops() {
        ModelConfig config = new ModelConfig(65, 48, 6, 3, 32, 0.08);
        for (int positions : new int[] {1, 7, 32}) {
            double sum = 0;
            for (Phase p : Phase.ALL) sum += p.flops(config, positions, (long) positions * (positions + 1) / 2);
            assertEquals(TrainingFlops.perDocument(config, positions), sum, 1e-9 * sum, positions + " positions");
        }
    }

    @Test
    void aDroppedStepLeavesNoTrace() {
        PhaseClock clock = tickClock();
        clock.startStep();
        clock.mark(Phase.ADAM);
        clock.endStep();
        clock.startStep();
        clock.mark(Phase.ADAM);
        clock.mark(Phase.BATCH);
        clock.endStep();
        clock.dropStep();
        assertEquals(1, clock.steps());
        assertEquals(2, clock.stepTime());
        assertEquals(1, clock.time(Phase.ADAM));
        assertEquals(1, clock.marks(Phase.ADAM));
        assertEquals(0, clock.time(Phase.BATCH));
        assertEquals(1, clock.unaccounted());
    }

    @Test
    void theOffClockCountsNothing() {
        train(Fixtures.config(16, 4, 1, 16), PhaseClock.OFF, 0);
        assertEquals(0, PhaseClock.OFF.stepTime());
        assertEquals(0, PhaseClock.OFF.steps());
        for (Phase p : Phase.ALL) assertEquals(0, PhaseClock.OFF.time(p));
    }

    @Test
    void aClockTimesOneThreadOnly() {
        Parameters weights = Fixtures.weights(Fixtures.config(16, 4, 1, 16), 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimdEngine(weights, new EngineOptions(2), 0, SimdEngine.Sharing.AUTO, PhaseClock.nanoTime()));
        assertTrue(e.getMessage().contains("one thread"), e.getMessage());
    }

    @Test
    void theProfileListsEveryPhaseAndTheRest() {
        Dataset names = Dataset.bundledNames();
        String table = StepProfile.profile(names, StepProfile.config("1-4-16-16", names), 4, 1_000_000, 100, true);
        for (Phase p : Phase.ALL) assertTrue(table.contains(p.name().toLowerCase(Locale.ROOT) + " "), p + " missing:\n" + table);
        assertTrue(table.contains("(unaccounted)"), table);
        assertTrue(table.contains("whole step"), table);
    }
}
