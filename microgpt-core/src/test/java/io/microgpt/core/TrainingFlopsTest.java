package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.spi.ParameterLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingFlopsTest {
    private static final ModelConfig REFERENCE = ModelConfig.reference(27);

    @Test
    void onePositionOfTheReferenceModelCountedByHand() {
        // forward: 2 * (12 * 16^2 + 27 * 16) = 7,008 in the products, 4 * 16 * 1 = 64 in attention; training is 3x
        assertEquals(3 * (7_008 + 64), TrainingFlops.perDocument(REFERENCE, 1));
        // two positions attend to 1 + 2 = 3 positions in all
        assertEquals(3 * (2 * 7_008 + 4 * 16 * 3), TrainingFlops.perDocument(REFERENCE, 2));
    }

    @Test
    void theProductsCostSixFlopsPerWeightOutsideTheEmbeddingTablesPerPosition() {
        // the usual "6 N" rule, N the weights that multiply activations: all but wte and wpe
        ModelConfig c = new ModelConfig(65, 128, 4, 4, 64, ModelConfig.DEFAULT_INIT_STD);
        ParameterLayout layout = new ParameterLayout(c);
        int multiplying = layout.size() - layout.tensor("wte").size() - layout.tensor("wpe").size();
        int positions = 64;
        double attention = 3.0 * c.nLayer() * 4 * c.nEmbd() * positions * (positions + 1) / 2;
        assertEquals(6.0 * multiplying * positions + attention, TrainingFlops.perDocument(c, positions), 1e-6);
    }

    @Test
    void theMeanIsOverDocumentsEachCutToTheBlock() {
        ModelConfig c = new ModelConfig(27, 16, 4, 1, 4, ModelConfig.DEFAULT_INIT_STD);
        int[] twoPositions = {0, 5, 0};
        int[] tenCutToFour = new int[11];
        double expected = (TrainingFlops.perDocument(c, 2) + TrainingFlops.perDocument(c, 4)) / 2;
        assertEquals(expected, TrainingFlops.meanPerDocument(c, List.of(twoPositions, tenCutToFour)), 1e-9);
        MicrogptException e = assertThrows(MicrogptException.class, () -> TrainingFlops.meanPerDocument(c, List.of()));
        assertEquals("no documents to count the FLOPs of", e.getMessage());
    }
}
