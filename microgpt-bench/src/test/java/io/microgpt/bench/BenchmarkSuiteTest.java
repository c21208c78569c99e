package io.microgpt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backend;
import io.microgpt.core.Backends;
import io.microgpt.core.MicrogptException;
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
        MicrogptException e = assertThrows(MicrogptException.class, bench::open);
        assertEquals("batch 3 does not divide 16, the samples each invocation trains; use 1, 2, 4, 8 or 16", e.getMessage());
    }

    @Test
    void aBackendThatCannotRunFailsSetupNamingThoseThatCan() {
        TrainingStepBenchmark bench = new TrainingStepBenchmark();
        bench.backend = "nosuch";
        bench.nEmbd = 16;
        bench.batch = 1;
        MicrogptException e = assertThrows(MicrogptException.class, bench::open);
        assertTrue(e.getMessage().startsWith("unknown backend 'nosuch'; available: scalar, "), e.getMessage());
        assertTrue(e.getMessage().contains(UnavailableTestBackend.NAME), "lists every backend found: " + e.getMessage());
        assertTrue(e.getMessage().endsWith("; run the benchmarks with -p backend=" + String.join(",", BenchmarkRuns.availableNames())
                + " to measure only the backends that can run here"), e.getMessage());
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
