package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.sampling.Sampler;
import io.microgpt.core.spi.LogitStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingTest {

    @Test
    void lossFallsWellBelowItsStartOnTheBundledNames() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend(new ScalarBackend()).steps(300).start()) {
            double first = 0;
            double last = 0;
            for (int step = 1; step <= 300; step++) {
                double loss = run.step().loss();
                if (step <= 10) first += loss / 10;
                if (step > 250) last += loss / 50;
            }
            // uniform guessing over 27 tokens is ln 27 = 3.30; a model that learned letter statistics is far below
            assertTrue(first > 3.0, "mean loss of the first 10 steps " + first);
            assertTrue(last < 2.75, "mean loss of the last 50 steps " + last);
            assertTrue(first - last > 0.5, "loss fell from " + first + " to " + last);
        }
    }

    @Test
    void batchLossIsTheMeanOfDocumentLosses() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend(new ScalarBackend()).steps(1).start()) {
            int[] a = run.tokenizer().encodeDocument("emma");
            int[] b = run.tokenizer().encodeDocument("olivia");
            double la = run.engine().loss(new int[][] {a});
            double lb = run.engine().loss(new int[][] {b});
            assertEquals((la + lb) / 2, run.engine().loss(new int[][] {a, b}), 1e-15);
        }
    }

    @Test
    void samplingADivergedModelIsAClearError() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend(new ScalarBackend()).steps(1).start()) {
            io.microgpt.core.spi.Parameters broken = run.engine().parameters();
            java.util.Arrays.fill(broken.data(), Double.NaN);
            run.engine().loadParameters(broken);
            MicrogptException e = org.junit.jupiter.api.Assertions.assertThrows(MicrogptException.class, () -> run.sample(0.5));
            assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
        }
    }

    @Test
    void streamStopsAtTheBlockSize() {
        try (TrainingRun run = TrainingRun.builder(Dataset.bundledNames()).backend(new ScalarBackend()).blockSize(3).steps(1).start()) {
            LogitStream s = run.engine().openStream();
            for (int i = 0; i < 3; i++) assertEquals(27, s.next(run.tokenizer().bos()).length);
            org.junit.jupiter.api.Assertions.assertThrows(MicrogptException.class, () -> s.next(0));
        }
    }

    /**
     * {@code run.sample} keeps one sampler between steps and drops it at the next step: the samples after further
     * training are those of a fresh {@link Sampler} over the new weights from the same random state, and differ from
     * what the weights before those steps give (so the comparison can tell a stale sampler).
     */
    @Test
    void samplesAfterMoreStepsComeFromTheNewWeights() {
        TrainingRun.Builder builder = TrainingRun.builder(Dataset.bundledNames()).backend(new ScalarBackend()).steps(60);
        List<String> cached = new ArrayList<>();
        try (TrainingRun run = builder.start()) {
            for (int i = 0; i < 10; i++) run.step();
            for (int i = 0; i < 5; i++) cached.add(run.sample(0.5));
            for (int i = 0; i < 50; i++) run.step();
            for (int i = 0; i < 10; i++) cached.add(run.sample(0.5));
        }
        List<String> fresh = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        try (TrainingRun run = builder.start()) {
            for (int i = 0; i < 10; i++) run.step();
            Sampler before = new Sampler(run.engine(), run.tokenizer());
            for (int i = 0; i < 5; i++) fresh.add(run.sample(0.5));
            for (int i = 0; i < 50; i++) run.step();
            PyRandom.State state = run.checkpoint(true).trainingState().orElseThrow().random();
            Sampler after = new Sampler(run.engine(), run.tokenizer());
            PyRandom rng = PyRandom.fromState(state);
            for (int i = 0; i < 10; i++) fresh.add(after.sample(rng, 0.5));
            PyRandom same = PyRandom.fromState(state);
            for (int i = 0; i < 10; i++) stale.add(before.sample(same, 0.5));
        }
        assertEquals(fresh, cached);
        assertNotEquals(stale, cached.subList(5, 15), "50 more steps change what is sampled");
    }
}
