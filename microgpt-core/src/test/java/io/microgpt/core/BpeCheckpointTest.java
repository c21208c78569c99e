package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.data.DataSource;
import io.microgpt.core.json.Json;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint carries its byte-level BPE (as its tokenizer.json text), and refuses a forged or inconsistent one. */
class BpeCheckpointTest {
    private static final BpeTokenizer BYTES = new BpeTrainer(256, true).train(List.of("any text"));
    private static final BpeTokenizer LARGER = new BpeTrainer(300, true).train(List.of("aaaa bbbb abab baba aabb"));

    @TempDir
    Path dir;

    private Path saved() {
        ModelConfig config = new ModelConfig(BYTES.vocabSize(), 4, 2, 1, 4, 0.08);
        Checkpoint c = new Checkpoint(BYTES, new TrainingConfig(10, 2, 0.01, 0.85, 0.99, 1e-8, 42), 0.0, 3,
                new DataSource("test data", 4, "00".repeat(32)), "scalar", Parameters.initialize(config, new PyRandom(1)),
                null, List.of(), new RunHistory(4));
        Path file = dir.resolve("m.safetensors");
        c.write(file, DType.F32);
        return file;
    }

    @Test
    void theTokenizerComesBackAsItWasRecorded() {
        Checkpoint read = Checkpoint.read(saved());
        assertEquals(BpeTokenizer.KIND, read.tokenizer().kind());
        assertEquals(BYTES.serialized(), read.tokenizer().serialized());
        assertEquals(257, read.modelConfig().vocabSize());
    }

    @Test
    void aForgedTokenizerIsRefusedInOneLine() throws Exception {
        Path file = forged(h -> h.replace("\\\"type\\\": \\\"BPE\\\"", "\\\"type\\\": \\\"Unigram\\\""));
        MicrogptException e = assertThrows(MicrogptException.class, () -> Checkpoint.read(file));
        assertEquals("checkpoint " + file + ": the tokenizer in the metadata is invalid: tokenizer_data is not a byte-level BPE:"
                + " its model type is 'Unigram', not 'BPE'", e.getMessage());
    }

    @Test
    void aTokenizerOfAnotherSizeThanTheModelIsRefused() throws Exception {
        Path file = forged(h -> h.replace(Json.quote(BYTES.serialized()), Json.quote(LARGER.serialized())));
        MicrogptException e = assertThrows(MicrogptException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().endsWith("the vocabulary has " + LARGER.vocabSize()
                + " tokens but vocab_size (the rows of wte and lm_head) is 257"), e.getMessage());
    }

    private Path forged(UnaryOperator<String> edit) throws Exception {
        byte[] bytes = Files.readAllBytes(saved());
        byte[] edited = CheckpointFixtures.editHeader(bytes, edit);
        assertTrue(edited.length != bytes.length || !java.util.Arrays.equals(edited, bytes), "the edit changed the header");
        Path file = dir.resolve("forged.safetensors");
        Files.write(file, edited);
        return file;
    }
}
