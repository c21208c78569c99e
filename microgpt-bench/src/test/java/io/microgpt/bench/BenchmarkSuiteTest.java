package io.microgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.SpeedTrial;
import io.microgpt.core.StepReport;
import io.microgpt.core.TrainingFlops;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.EngineOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite is wired as JMH expects and each benchmark does the work it claims, without timing anything. */
class BenchmarkSuiteTest {

    @Test
    void annotationProcessorWroteTheBenchmarkList() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(in, "no META-INF/BenchmarkList: jmh-generator-annprocess did not run (annotationProcessorPaths?)");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(list.contains("io.microgpt.bench.TrainingStepBenchmark"), list);
            assertTrue(list.contains("io.microgpt.bench.InferenceBenchmark"), list);
            assertTrue(list.contains("io.microgpt.bench.ModelShapeBenchmark"), list);
            assertTrue(list.contains("io.microgpt.bench.FmaPeakBenchmark"), list);
        }
    }

    @Test
    void oneTrainingInvocationTrainsSixteenSamplesWhateverTheBatch() {
        for (int batch : new int[] {1, 4, 16}) {
            TrainingStepBenchmark bench = new TrainingStepBenchmark();
            bench.backend = "scalar";
            bench.nEmbd = 8;
            bench.batch = batch;
            bench.threads = 1;
            referenceShape(bench);
            bench.open();
            try {
                double losses = bench.train();
                int steps = TrainingStepBenchmark.SAMPLES_PER_INVOCATION / batch;
                assertEquals(steps, bench.run().stepsDone(), "steps of batch " + batch);
                // an untrained model over 27 tokens: each loss is near ln 27 = 3.30
                assertEquals(steps * Math.log(27), losses, steps * 0.2, "sum of " + steps + " step losses");
                bench.train();
                assertEquals(2 * steps, bench.run().stepsDone(), "the run goes on across invocations");
            } finally {
                bench.close();
            }
        }
    }

    @Test
    void aBatchThatDoesNotDivideSixteenIsRejectedInSetup() {
        TrainingStepBenchmark bench = new TrainingStepBenchmark();
        bench.backend = "scalar";
        bench.nEmbd = 8;
        bench.batch = 3;
        referenceShape(bench);
        MicrogptException e = assertThrows(MicrogptException.class, bench::open);
        assertEquals("batch 3 does not divide 16, the samples each invocation trains; use 1, 2, 4, 8 or 16", e.getMessage());
    }

    @Test
    void aBackendThatCannotRunFailsSetupNamingThoseThatCan() {
        TrainingStepBenchmark bench = new TrainingStepBenchmark();
        bench.backend = "nosuch";
        bench.nEmbd = 16;
        bench.batch = 1;
        referenceShape(bench);
        MicrogptException e = assertThrows(MicrogptException.class, bench::open);
        assertTrue(e.getMessage().startsWith("unknown backend 'nosuch'; available: scalar, "), e.getMessage());
        assertTrue(e.getMessage().contains(UnavailableTestBackend.NAME), "lists every backend found: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("; run the benchmarks with -p backend=" + String.join(",", BenchmarkRuns.availableNames())
                + " to measure only the backends that can run here"), e.getMessage());
    }

    private static void referenceShape(TrainingStepBenchmark bench) {
        bench.nLayer = 1;
        bench.nHead = 4;
        bench.blockSize = 16;
        bench.data = BenchmarkRuns.NAMES;
    }

    @Test
    void aSpeedTrialHoldsTheLearningRateAndTimesWholeSteps() {
        SpeedTrial trial = new SpeedTrial(Dataset.bundledNames(), 8, 2, 1, 16, 4, new EngineOptions(1));
        try (TrainingRun run = trial.open(Backends.byName("scalar"))) {
            assertEquals(1, SpeedTrial.trainFor(run, 0), "at least one step, however short the time");
            for (int i = 0; i < 3; i++) {
                StepReport step = run.step();
                // planned for 2^31 - 1 steps, the linear decay takes one part in 2^31 of the rate per step
                assertEquals(0.01, step.learningRate(), 1e-10, "the rate stays at its initial value");
                assertEquals(4, step.batchSize());
            }
            assertEquals(SpeedTrial.UNBOUNDED_STEPS, run.trainingConfig().steps());
            // the mean over all names of the FLOPs of their trained positions: between 2 and 16 positions each
            double flops = SpeedTrial.flopsPerSample(run);
            assertTrue(flops > TrainingFlops.perDocument(run.modelConfig(), 2) && flops < TrainingFlops.perDocument(run.modelConfig(), 16), "" + flops);
        }
        MicrogptException e = assertThrows(MicrogptException.class, () -> trial.withBatch(0));
        assertEquals("batch must be positive, got 0", e.getMessage());
    }

    @Test
    void theShapeParametersReachTheModel() {
        TrainingStepBenchmark bench = new TrainingStepBenchmark();
        bench.backend = "scalar";
        bench.nEmbd = 8;
        bench.nLayer = 2;
        bench.nHead = 2;
        bench.blockSize = 32;
        bench.data = BenchmarkRuns.LONG_NAMES;
        bench.batch = 16;
        bench.threads = 1;
        bench.open();
        try {
            ModelConfig c = bench.run().modelConfig();
            assertEquals(List.of(8, 2, 2, 32), List.of(c.nEmbd(), c.nHead(), c.nLayer(), c.blockSize()));
            assertEquals(28, c.vocabSize(), "the names' 26 letters, BOS and the space that joins them");
            bench.train();
            assertEquals(1, bench.run().stepsDone());
            assertTrue(BenchmarkRuns.workingSetLine(bench.run()).startsWith("scalar: bundled names joined into lines of at least 300 characters, "
                    + "n_embd 8, n_head 2, n_layer 2, block 32, batch 16: working set "), BenchmarkRuns.workingSetLine(bench.run()));
        } finally {
            bench.close();
        }
    }

    @Test
    void longDocumentsJoinConsecutiveDocumentsUntilTheyAreLongEnough() {
        Dataset source = Dataset.of("t", List.of("ab", "cde", "f", "ghij", "k"));
        Dataset joined = LongDocuments.of(source, 5);
        assertEquals(List.of("ab cde", "f ghij"), joined.documents(), "the short remainder 'k' is dropped");
        Dataset names = BenchmarkRuns.dataset(BenchmarkRuns.LONG_NAMES);
        assertEquals(749, names.size());
        for (String doc : names.documents()) assertTrue(doc.length() >= 300 && doc.length() < 320, doc);
        assertEquals(Dataset.bundledNames().documents().get(0), names.documents().get(0).split(" ")[0], "file order");
        MicrogptException e = assertThrows(MicrogptException.class, () -> BenchmarkRuns.dataset("words"));
        assertEquals("unknown dataset 'words'; use -p data=names or -p data=long-names", e.getMessage());
    }

    @Test
    void aModelShapeInvocationIsOneStepOfTwelveDocuments() {
        ModelShapeBenchmark bench = new ModelShapeBenchmark();
        bench.backend = "scalar";
        bench.shape = "2-2-8-20";
        bench.threads = 1;
        bench.data = BenchmarkRuns.LONG_NAMES;
        bench.open();
        try {
            ModelConfig c = bench.run().modelConfig();
            assertEquals(List.of(8, 2, 2, 20), List.of(c.nEmbd(), c.nHead(), c.nLayer(), c.blockSize()));
            double loss = bench.train();
            assertEquals(1, bench.run().stepsDone());
            assertEquals(ModelShapeBenchmark.BATCH, bench.run().trainingConfig().batchSize());
            assertEquals(Math.log(28), loss, 0.2, "an untrained model over 28 tokens");
        } finally {
            bench.close();
        }
        MicrogptException e = assertThrows(MicrogptException.class, () -> ModelShapeBenchmark.parseShape("4-4-128"));
        assertEquals("shape '4-4-128' is not layers-heads-width-block, e.g. 4-4-128-64", e.getMessage());
    }

    @Test
    void theFmaLoopCountsTwoFlopsPerLanePerChainAndStaysFinite() {
        assertEquals(2.0 * FmaPeak.SPECIES.length() * FmaPeak.CHAINS * 1000, FmaPeak.flops(1000));
        // each lane converges to y / (1 - x) = 0.001 / 0.001 = 1 from its start; after many rounds all are near 1
        float sum = FmaPeak.run(100_000);
        assertEquals(FmaPeak.CHAINS * FmaPeak.SPECIES.length(), sum, 1e-2 * FmaPeak.CHAINS * FmaPeak.SPECIES.length());
        // from a0 = 0: one round gives y = 0.001 on every lane of a0, a1 = 0.1 * 0.999 + 0.001, ...
        double expected = 0;
        for (int c = 0; c < FmaPeak.CHAINS; c++) expected += (float) ((float) (c / 10.0) * 0.999f + 0.001f);
        assertEquals(expected * FmaPeak.SPECIES.length(), FmaPeak.run(1), 1e-4);
        FmaPeakBenchmark.Flops counter = new FmaPeakBenchmark.Flops();
        counter.reset();
        new FmaPeakBenchmark().fma(counter);
        assertEquals((long) FmaPeak.flops(FmaPeakBenchmark.ITERATIONS), counter.flops);
        double gflops = FmaPeak.measureGflops(5, 2);   // a rate, whatever its size (speed is not asserted)
        assertTrue(gflops > 0 && Double.isFinite(gflops), "" + gflops);
    }

    @Test
    void inferenceCountsEveryPositionFedToTheModel() {
        InferenceBenchmark bench = new InferenceBenchmark();
        bench.backend = "scalar";
        bench.nEmbd = 8;
        bench.open();
        try {
            InferenceBenchmark.Tokens counter = new InferenceBenchmark.Tokens();
            counter.reset();
            long expected = 0;
            for (int i = 0; i < 20; i++) {
                String name = bench.sample(counter);
                expected += Math.min(name.length() + 1, 16);
                assertTrue(name.length() <= 16, name);
            }
            assertEquals(expected, counter.tokens);
            assertTrue(counter.tokens >= 20, "at least one position per name");
        } finally {
            bench.close();
        }
    }

    @Test
    void aBackendOnTheClassPathThatCannotRunIsLeftOutOfTheAvailableList() {
        List<String> all = new ArrayList<>();
        for (Backend b : Backends.all()) all.add(b.name());
        assertTrue(all.contains(UnavailableTestBackend.NAME), "the test backend is on the class path: " + all);
        List<String> available = BenchmarkRuns.availableNames();
        assertEquals("scalar", available.get(0), "scalar first: " + available);
        assertFalse(available.contains(UnavailableTestBackend.NAME), "it says it cannot run: " + available);
        assertEquals(all.size() - 1, available.size(), "every other backend can run here: " + all);
    }

    @Test
    void aBackendThatSaysItCannotRunFailsSetupWithItsReason() {
        InferenceBenchmark bench = new InferenceBenchmark();
        bench.backend = UnavailableTestBackend.NAME;
        bench.nEmbd = 16;
        MicrogptException e = assertThrows(MicrogptException.class, bench::open);
        assertEquals("backend '" + UnavailableTestBackend.NAME + "' cannot run here: " + UnavailableTestBackend.REASON
                + "; run the benchmarks with -p backend=" + String.join(",", BenchmarkRuns.availableNames())
                + " to measure only the backends that can run here", e.getMessage());
    }
}
