package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunHistoryTest {

    private static RunHistory threeSteps() {
        RunHistory h = new RunHistory(1);
        h.add(3.3);
        h.add(Math.PI);
        h.addValidation(3.0, 4.25);
        h.add(Double.NaN);   // a diverged step is kept as it was
        return h;
    }

    @Test
    void encodedFormReadsBackToTheSameDoubles() {
        RunHistory h = threeSteps();
        RunHistory back = RunHistory.decode(h.firstStep(), h.encodedLosses(), h.encodedValidation(),
                h.encodedValidationBits(), 3);
        assertEquals(1, back.firstStep());
        assertEquals(3, back.size());
        assertEquals(3.3, back.loss(0));
        assertEquals(Math.PI, back.loss(1));
        assertTrue(Double.isNaN(back.loss(2)));
        assertEquals(1, back.validationSize());
        assertEquals(2, back.validationStep(0));
        assertEquals(3.0, back.validationLoss(0));
        assertEquals(4.25, back.validationBitsPerCharacter(0));
        RunHistory older = RunHistory.decode(h.firstStep(), h.encodedLosses(), h.encodedValidation(), null, 3);
        assertTrue(Double.isNaN(older.validationBitsPerCharacter(0)), "files from before bits per character have none");
    }

    @Test
    void aHistoryThatDoesNotEndAtTheSavedStepIsRefused() {
        RunHistory h = threeSteps();
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> RunHistory.decode(1, h.encodedLosses(), h.encodedValidation(), null, 4));
        assertEquals("the loss history (3 steps from step 1) does not end at steps_done 4", e.getMessage());
        assertThrows(MicrogptException.class, () -> RunHistory.decode(1, "not base64!", "", null, 0));
        assertThrows(MicrogptException.class, () -> RunHistory.decode(1, h.encodedLosses(), h.encodedLosses(), null, 3),
                "validation steps must be whole, increasing and within the run");
    }

    @Test
    void bitsPerCharacterMustBeOnePerValidationPoint() {
        RunHistory h = threeSteps();
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> RunHistory.decode(1, h.encodedLosses(), h.encodedValidation(), h.encodedLosses(), 3));
        assertEquals("metadata 'history_validation_bpc' has 3 values for 1 validation points", e.getMessage());
    }

    @Test
    void aVeryLongRunKeepsItsLatestHalfWhenFull() {
        RunHistory h = new RunHistory(1);
        for (int step = 1; step <= RunHistory.MAX_STEPS + 10; step++) {
            h.add(step);
            if (step == 5 || step == RunHistory.MAX_STEPS) h.addValidation(-step, Double.NaN);
        }
        assertEquals(RunHistory.MAX_STEPS / 2 + 1, h.firstStep());
        assertEquals(RunHistory.MAX_STEPS + 10, h.lastStep());
        assertEquals(h.firstStep(), h.loss(0), "loss i is step firstStep + i");
        assertEquals(1, h.validationSize(), "the validation point of step 5 went with its step");
        assertEquals(RunHistory.MAX_STEPS, h.validationStep(0));
        assertTrue(Double.isNaN(h.validationBitsPerCharacter(0)));
    }
}
