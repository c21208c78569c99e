package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.checkpoint.SafetensorsFile;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void f64RoundTripIsBitExact() {
        Checkpoint original = CheckpointFixtures.checkpoint(true);
        Path file = dir.resolve("m.safetensors");
        original.write(file, DType.F64);
        Checkpoint read = Checkpoint.read(file);

        assertBitsEqual("weights", original.parameters().data(), read.parameters().data());
        Checkpoint.TrainingState a = original.trainingState().orElseThrow();
        Checkpoint.TrainingState b = read.trainingState().orElseThrow();
        assertBitsEqual("adam.m", a.optimizer().firstMoment(), b.optimizer().firstMoment());
        assertBitsEqual("adam.v", a.optimizer().secondMoment(), b.optimizer().secondMoment());
        assertEquals(a.random(), b.random(), "random state (words, index, cached Gaussian)");
        assertTrue(b.random().hasGaussNext(), "the fixture's state caches a Gaussian");
        assertEquals(original.modelConfig(), read.modelConfig());
        assertEquals(original.trainingConfig(), read.trainingConfig());
        assertEquals(original.tokenizer().serialized(), read.tokenizer().serialized());
        assertEquals(original.stepsDone(), read.stepsDone());
        assertEquals(original.data(), read.data());
        assertEquals(original.backend(), read.backend());
        assertEquals(27, read.tensors().size());
        assertEquals(new SafetensorsFile.Tensor("wte", DType.F64, List.of(5L, 4L), 0, 160), read.tensors().get(0));
    }

    @Test
    void f32RoundTripIsBitExactForSinglePrecisionValuesAndRoundsDoubles() throws Exception {
        Checkpoint original = CheckpointFixtures.checkpoint(true);
        Path first = dir.resolve("a.safetensors");
        original.write(first, DType.F32);
        Checkpoint read = Checkpoint.read(first);
        double[] w = original.parameters().data();
        double[] rounded = new double[w.length];
        for (int i = 0; i < w.length; i++) rounded[i] = (float) w[i];
        assertBitsEqual("weights rounded to float", rounded, read.parameters().data());
        assertEquals(DType.F32, read.tensors().get(0).dtype());

        // values that are already floats (as a single-precision backend's are) survive exactly, file for file
        Path second = dir.resolve("b.safetensors");
        read.write(second, DType.F32);
        Checkpoint again = Checkpoint.read(second);
        assertBitsEqual("weights", read.parameters().data(), again.parameters().data());
        assertBitsEqual("adam.v", read.trainingState().orElseThrow().optimizer().secondMoment(),
                again.trainingState().orElseThrow().optimizer().secondMoment());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void weightsOnlyCheckpointHasNoTrainingState() {
        Path file = dir.resolve("w.safetensors");
        CheckpointFixtures.checkpoint(true).withoutTrainingState().write(file);
        Checkpoint read = Checkpoint.read(file);
        assertFalse(read.trainingState().isPresent());
        assertEquals(9, read.tensors().size());
        assertEquals(DType.F64, read.tensors().get(0).dtype(), "the scalar backend's native dtype");
    }

    @Test
    void anyVocabularyRoundTrips() {
        String symbols = " \"\\aé中😀";
        Tokenizer tokenizer = CharTokenizer.ofSymbols(symbols);
        ModelConfig config = new ModelConfig(tokenizer.vocabSize(), 4, 2, 1, 4, 0.08);
        Checkpoint c = new Checkpoint(tokenizer, TrainingConfig.reference(), 0.25, 0,
                new DataSource("names \"quoted\"\\ é", 3, "ab".repeat(32)), "scalar",
                Parameters.initialize(config, new PyRandom(1)), null, List.of(), new RunHistory(1));
        Path file = dir.resolve("v.safetensors");
        c.write(file);
        Checkpoint read = Checkpoint.read(file);
        assertEquals(symbols, read.tokenizer().serialized());
        assertEquals(c.data(), read.data());
        assertEquals(0.25, read.validationFraction());
    }

    @Test
    void checkpointOfABackendNotOnTheClassPathIsWrittenInF64() {
        assertTrue(Backends.all().isEmpty(), "core's tests run without backends: " + Backends.all());
        Path file = dir.resolve("no-backend.safetensors");
        CheckpointFixtures.checkpoint(true).write(file);
        for (SafetensorsFile.Tensor t : Checkpoint.read(file).tensors()) assertEquals(DType.F64, t.dtype(), t.name());
    }

    static void assertBitsEqual(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }
}
