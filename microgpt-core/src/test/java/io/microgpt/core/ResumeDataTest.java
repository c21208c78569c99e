package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.data.DataSource;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset a checkpoint names is data: reopened by core the one way, refused cleanly when forged. */
class ResumeDataTest {
    @TempDir
    Path dir;

    private static Checkpoint withData(DataSource data) {
        Checkpoint c = CheckpointFixtures.checkpoint(true);
        return new Checkpoint(c.tokenizer(), c.trainingConfig(), 0.0, 3, data, "scalar", c.parameters(),
                c.trainingState().orElseThrow(), List.of(), new RunHistory(4));
    }

    @Test
    void aForgedShortDigestIsRefusedWhenReading() {
        Path file = dir.resolve("k.safetensors");
        withData(new DataSource("d.txt", 4, "abc")).write(file);
        MicrogptException e = assertThrows(MicrogptException.class, () -> Checkpoint.read(file));
        assertEquals("checkpoint " + file + ": metadata 'dataset_sha256' is 'abc', not a SHA-256 (64 hex digits)", e.getMessage());
    }

    @Test
    void aDatasetNameWithANulIsAnErrorNotACrash() {
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> Dataset.open(new DataSource("a\0b.txt", 4, "00".repeat(32))));
        assertEquals("the run trained on 'a\\u0000b.txt', which cannot be read now (dataset 'a\\u0000b.txt' is not a usable file name"
                + " (Nul character not allowed)); give the same documents explicitly (CLI: --data FILE)", e.getMessage());
    }

    @Test
    void reopeningChecksTheDigest() throws IOException {
        Path data = Files.writeString(dir.resolve("d.txt"), "anna\nbob\n", StandardCharsets.UTF_8);
        DataSource source = DataSource.of(Dataset.load(data));
        assertEquals(List.of("anna", "bob"), Dataset.open(source).documents());
        Files.writeString(data, "anna\nbo\n", StandardCharsets.UTF_8);
        MicrogptException e = assertThrows(MicrogptException.class, () -> Dataset.open(source));
        assertEquals("the dataset (" + data + ", 2 documents) is not the one the run trained on (" + data + ", 2 documents, sha256 "
                + source.sha256().substring(0, 12) + "...)", e.getMessage());
        assertEquals(32033, Dataset.open(DataSource.of(Dataset.bundledNames())).size());
    }

    @Test
    void resumeWithoutADatasetReopensTheRecordedOne() throws IOException {
        Path data = Files.writeString(dir.resolve("d.txt"), "abc\nbad\ncab\ndab\n", StandardCharsets.UTF_8);
        Checkpoint c = withData(DataSource.of(Dataset.load(data)));
        Backend none = new Backend() {
            @Override public String name() { return "none"; }
            @Override public String description() { return "refuses to open"; }
            @Override public int defaultBatchSize() { return 1; }
            @Override public DType precision() { return DType.F64; }
            @Override public Engine open(Parameters initial, EngineOptions options) {
                throw new MicrogptException("opened with " + initial.size() + " weights");
            }
        };
        MicrogptException e = assertThrows(MicrogptException.class, () -> TrainingRun.resume(c, none, EngineOptions.defaults()));
        assertEquals("opened with 248 weights", e.getMessage(), "got as far as the engine: the data was reopened and matched");
        Files.delete(data);
        e = assertThrows(MicrogptException.class, () -> TrainingRun.resume(c, none, EngineOptions.defaults()));
        assertEquals("the run trained on '" + data + "', which cannot be read now (dataset " + data + " does not exist);"
                + " give the same documents explicitly (CLI: --data FILE)", e.getMessage());
    }
}
