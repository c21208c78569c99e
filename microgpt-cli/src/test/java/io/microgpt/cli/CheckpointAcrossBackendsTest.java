package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.Checkpoint;
import io.microgpt.core.PyRandom;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.sampling.Sampler;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.LogitStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written by one backend used by the other. Runs only where a {@code simd} backend is on the
 * class path and can run (JVM started with the Vector API module); otherwise it is skipped.
 */
class CheckpointAcrossBackendsTest {
    private static final Dataset NAMES = Dataset.bundledNames();
    /** f32 against f64 logits of a small model: a few float ulps of values up to ~10, accumulated over ~100 terms. */
    private static final double LOGIT_TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static Backend simd() {
        Optional<Backend> simd = Backends.available().stream().filter(b -> b.name().equals("simd")).findFirst();
        assumeTrue(simd.isPresent(), "no runnable simd backend on the class path");
        return simd.get();
    }

    private static TrainingRun.Builder builder(String backend, int steps) {
        return TrainingRun.builder(NAMES).steps(steps).batchSize(4).seed(3).backend(backend).engineOptions(new EngineOptions(1));
    }

    @Test
    void scalarFileSamplesAlikeInSimd() {
        Backend simd = simd();
        Path file = dir.resolve("scalar.safetensors");
        try (TrainingRun run = builder("scalar", 40).start()) {
            run.train(r -> { });
            run.save(file, true);
        }
        Checkpoint c = Checkpoint.read(file);
        assertEquals(DType.F64, c.tensors().get(0).dtype());
        try (Engine exact = Backends.byName("scalar").open(c.parameters()); Engine fast = simd.open(c.parameters())) {
            assertLogitsClose(exact, fast, c, "emmanuel");
            int same = 0;
            List<String> differing = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String a = new Sampler(exact, c.tokenizer()).sample(new PyRandom(100 + i), 0.5);
                String b = new Sampler(fast, c.tokenizer()).sample(new PyRandom(100 + i), 0.5);
                if (a.equals(b)) same++;
                else differing.add(a + " / " + b);
            }
            // each name has its own seed, so a draw that lands within float error of a boundary changes one name only
            assertTrue(same >= 18, "names differing between scalar and simd: " + differing);
        }
    }

    @Test
    void simdFileLoadsIntoScalarWithinFloatTolerance() {
        Backend simd = simd();
        Path file = dir.resolve("simd.safetensors");
        double simdNextLoss;
        try (TrainingRun run = builder("simd", 40).start()) {
            for (int i = 0; i < 20; i++) run.step();
            run.save(file, true);
            simdNextLoss = run.step().loss();
        }
        Checkpoint c = Checkpoint.read(file);
        assertEquals(DType.F32, c.tensors().get(0).dtype(), "simd writes its native f32");
        try (Engine exact = Backends.byName("scalar").open(c.parameters()); Engine fast = simd.open(c.parameters())) {
            assertLogitsClose(exact, fast, c, "olivia");
        }
        try (TrainingRun resumed = TrainingRun.resume(NAMES, c, Backends.byName("scalar"), EngineOptions.defaults())) {
            double scalarNextLoss = resumed.step().loss();
            assertEquals(simdNextLoss, scalarNextLoss, 1e-4 * simdNextLoss, "step 21 on scalar from the simd file");
        }
    }

    @Test
    void simdResumesBitForBitAtOneThread() {
        simd();
        List<Double> full = new ArrayList<>();
        List<String> fullNames = new ArrayList<>();
        try (TrainingRun run = builder("simd", 24).start()) {
            run.train(r -> full.add(r.loss()));
            for (int i = 0; i < 5; i++) fullNames.add(run.sample(0.5));
        }
        Path file = dir.resolve("part.safetensors");
        List<Double> resumed = new ArrayList<>();
        try (TrainingRun run = builder("simd", 24).start()) {
            for (int i = 0; i < 10; i++) resumed.add(run.step().loss());
            run.save(file, true);
        }
        List<String> names = new ArrayList<>();
        try (TrainingRun run = TrainingRun.resume(NAMES, Checkpoint.read(file), Backends.byName("simd"), new EngineOptions(1))) {
            run.train(r -> resumed.add(r.loss()));
            for (int i = 0; i < 5; i++) names.add(run.sample(0.5));
        }
        for (int i = 0; i < full.size(); i++) {
            if (Double.doubleToRawLongBits(full.get(i)) != Double.doubleToRawLongBits(resumed.get(i))) {
                throw new AssertionError("loss of step " + (i + 1) + ": uninterrupted " + full.get(i) + ", resumed " + resumed.get(i));
            }
        }
        assertEquals(fullNames, names);
    }

    private static void assertLogitsClose(Engine exact, Engine fast, Checkpoint c, String text) {
        LogitStream a = exact.openStream();
        LogitStream b = fast.openStream();
        int[] tokens = c.tokenizer().encodeDocument(text);
        for (int pos = 0; pos < Math.min(tokens.length, c.modelConfig().blockSize()); pos++) {
            double[] la = a.next(tokens[pos]).clone();
            double[] lb = b.next(tokens[pos]);
            for (int i = 0; i < la.length; i++) {
                if (Math.abs(la[i] - lb[i]) > LOGIT_TOLERANCE * Math.max(1, Math.abs(la[i]))) {
                    throw new AssertionError("logit " + i + " at position " + pos + ": scalar " + la[i] + ", simd " + lb[i]);
                }
            }
        }
    }
}
