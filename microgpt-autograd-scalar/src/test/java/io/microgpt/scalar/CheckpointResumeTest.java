package io.microgpt.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.sampling.Sampler;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, load and resume with the scalar backend: the resumed run is the uninterrupted run, bit for bit. */
class CheckpointResumeTest {
    private static final Dataset NAMES = Dataset.bundledNames();
    private static final int STEPS = 40;
    private static final int SAMPLES = 8;

    @TempDir
    Path dir;

    private static TrainingRun.Builder builder() {
        return TrainingRun.builder(NAMES).nEmbd(8).nHead(2).blockSize(12).steps(STEPS).batchSize(3)
                .validationFraction(0.1).seed(7).backend("scalar");
    }

    private record Outcome(List<Double> losses, List<String> samples) {
    }

    private static Outcome finish(TrainingRun run, List<Double> losses) {
        run.train(report -> losses.add(report.loss()));
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) samples.add(run.sample(0.5));
        return new Outcome(losses, samples);
    }

    @Test
    void resumedRunRepeatsTheUninterruptedRunBitForBit() {
        Outcome uninterrupted;
        try (TrainingRun run = builder().start()) {
            uninterrupted = finish(run, new ArrayList<>());
        }
        for (int stopAt : new int[] {0, 17}) {
            Path file = dir.resolve("run" + stopAt + ".safetensors");
            List<Double> losses = new ArrayList<>();
            try (TrainingRun run = builder().start()) {
                for (int i = 0; i < stopAt; i++) losses.add(run.step().loss());
                run.save(file, true);
            }
            Checkpoint saved = Checkpoint.read(file);
            assertEquals(stopAt, saved.stepsDone());
            Outcome resumed;
            try (TrainingRun run = TrainingRun.resume(NAMES, saved, Backends.byName("scalar"), EngineOptions.defaults())) {
                assertEquals(stopAt, run.stepsDone());
                resumed = finish(run, losses);
            }
            for (int i = 0; i < STEPS; i++) {
                long expected = Double.doubleToRawLongBits(uninterrupted.losses().get(i));
                long actual = Double.doubleToRawLongBits(resumed.losses().get(i));
                if (expected != actual) {
                    throw new AssertionError("stopped at " + stopAt + ": loss of step " + (i + 1) + " expected "
                            + uninterrupted.losses().get(i) + " but was " + resumed.losses().get(i));
                }
            }
            assertEquals(uninterrupted.samples(), resumed.samples(), "samples after resuming at step " + stopAt);
        }
    }

    @Test
    void savedModelSamplesTheNamesTheRunSamples() {
        Path file = dir.resolve("m.safetensors");
        List<String> fromRun = new ArrayList<>();
        try (TrainingRun run = builder().steps(10).start()) {
            run.train(r -> { });
            run.save(file, true);
            for (int i = 0; i < SAMPLES; i++) fromRun.add(run.sample(0.5));
        }
        Checkpoint c = Checkpoint.read(file);
        PyRandom rng = PyRandom.fromState(c.trainingState().orElseThrow().random());
        List<String> fromFile = new ArrayList<>();
        try (Engine engine = new ScalarBackend().open(c.parameters())) {
            Sampler sampler = new Sampler(engine, c.tokenizer());
            for (int i = 0; i < SAMPLES; i++) fromFile.add(sampler.sample(rng, 0.5));
        }
        assertEquals(fromRun, fromFile);
    }

    @Test
    void anF32FileResumesWithinFloatTolerance() {
        Path f64 = dir.resolve("a.safetensors");
        Path f32 = dir.resolve("b.safetensors");
        try (TrainingRun run = builder().start()) {
            for (int i = 0; i < 10; i++) run.step();
            Checkpoint c = run.checkpoint(true);
            c.write(f64, DType.F64);
            c.write(f32, DType.F32);
        }
        double exact;
        double rounded;
        try (TrainingRun run = TrainingRun.resume(NAMES, Checkpoint.read(f64), new ScalarBackend(), EngineOptions.defaults())) {
            exact = run.step().loss();
        }
        try (TrainingRun run = TrainingRun.resume(NAMES, Checkpoint.read(f32), new ScalarBackend(), EngineOptions.defaults())) {
            rounded = run.step().loss();
        }
        // weights rounded to 24 bits move a loss of about 3 by a few ulps of float at most
        assertTrue(Math.abs(exact - rounded) <= 1e-5 * Math.abs(exact), exact + " vs " + rounded);
    }

    @Test
    void resumeRefusesOtherDataAndWeightsOnlyFiles() {
        Path file = dir.resolve("m.safetensors");
        Path weights = dir.resolve("w.safetensors");
        try (TrainingRun run = builder().start()) {
            run.step();
            run.save(file, true);
            run.save(weights, false);
        }
        Dataset other = Dataset.of("other", NAMES.documents().subList(0, 1000));
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> TrainingRun.resume(other, Checkpoint.read(file), new ScalarBackend(), EngineOptions.defaults()));
        assertTrue(e.getMessage().startsWith("the dataset (other, 1000 documents) is not the one the run trained on (bundled names, 32033 documents"),
                e.getMessage());
        e = assertThrows(MicrogptException.class,
                () -> TrainingRun.resume(NAMES, Checkpoint.read(weights), new ScalarBackend(), EngineOptions.defaults()));
        assertTrue(e.getMessage().contains("no training state"), e.getMessage());
    }
}
