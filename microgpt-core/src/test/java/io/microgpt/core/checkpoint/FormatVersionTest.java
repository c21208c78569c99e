package io.microgpt.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.RunHistory;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.DataSource;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format's versioning rule: a file that uses nothing new keeps version 1, which every reader back to the first
 * release loads; a file that gives a meaning-changing key a non-neutral value gets that key's version, which
 * older readers refuse; a key a reader does not know is ignored unless the version says it changes meaning.
 * An older reader is simulated by {@link CheckpointCodec#decode(java.nio.channels.SeekableByteChannel, long, int)}
 * with its version: the check that the first release (format 1) makes.
 */
class FormatVersionTest {
    private static final ModelConfig CONFIG = new ModelConfig(5, 4, 2, 1, 4, 0.08);

    @TempDir
    Path dir;

    private static Checkpoint checkpoint(TrainingControls controls, DataLayout layout) {
        PyRandom r = new PyRandom(7);
        Parameters p = Parameters.initialize(CONFIG, r);
        double[] m = new double[p.size()];
        double[] v = new double[p.size()];
        Checkpoint.TrainingState state = new Checkpoint.TrainingState(new OptimizerState(m, v), r.state());
        return new Checkpoint(CharTokenizer.ofSymbols("abcd"), new TrainingConfig(10, 2, 0.01, 0.85, 0.99, 1e-8, 42, controls),
                0.0, layout, 3, new DataSource("test data", 40, "00".repeat(32)), "scalar", p, state, List.of(), new RunHistory(4));
    }

    private Path write(Checkpoint c, String name) {
        Path file = dir.resolve(name);
        c.write(file, DType.F64);
        return file;
    }

    private static Checkpoint readAs(int readerVersion, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return CheckpointCodec.decode(channel, channel.size(), readerVersion);
        }
    }

    private static String metadata(Path file, String key) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SafetensorsFile.readHeader(channel, channel.size()).metadata().get(key);
        }
    }

    @Test
    void aRunThatUsesNothingNewKeepsVersionOneAndLoadsInTheFirstReader() throws IOException {
        Path file = write(checkpoint(TrainingControls.none(), DataLayout.LINES), "plain.safetensors");
        assertEquals("1", metadata(file, "format_version"));
        Checkpoint old = readAs(1, file);
        assertArrayEquals(Checkpoint.read(file).parameters().data(), old.parameters().data());
    }

    /** One checkpoint per meaning-changing key, that key (alone) given a value that means something new. */
    private static Map<String, Checkpoint> oneMeaningChangeEach() {
        TrainingControls none = TrainingControls.none();
        Map<String, Checkpoint> cases = new LinkedHashMap<>();
        cases.put("warmup_steps", checkpoint(new TrainingControls(2, none.schedule(), 0, 0, 0), DataLayout.LINES));
        cases.put("schedule", checkpoint(new TrainingControls(0, TrainingControls.Schedule.COSINE, 0, 0, 0), DataLayout.LINES));
        cases.put("min_learning_rate", checkpoint(new TrainingControls(0, none.schedule(), 0.001, 0, 0), DataLayout.LINES));
        cases.put("weight_decay", checkpoint(new TrainingControls(0, none.schedule(), 0, 0.1, 0), DataLayout.LINES));
        cases.put("grad_clip", checkpoint(new TrainingControls(0, none.schedule(), 0, 0, 1.0), DataLayout.LINES));
        cases.put("layout", checkpoint(none, DataLayout.STREAM));
        return cases;
    }

    @Test
    void eachMeaningChangingKeyIsRefusedByAReaderThatPredatesIt() throws IOException {
        for (Map.Entry<String, Checkpoint> e : oneMeaningChangeEach().entrySet()) {
            Path file = write(e.getValue(), e.getKey() + ".safetensors");
            assertEquals("2", metadata(file, "format_version"), e.getKey());
            MicrogptException refused = assertThrows(MicrogptException.class, () -> readAs(1, file), e.getKey());
            assertEquals("format version 2 is newer than this microgpt reads (1); use a newer microgpt", refused.getMessage());
            Checkpoint now = Checkpoint.read(file);
            assertEquals(e.getValue().trainingConfig(), now.trainingConfig(), e.getKey() + " reads back in this reader");
            assertEquals(e.getValue().layout(), now.layout(), e.getKey());
        }
    }

    @Test
    void anotherTokenizerIsAMeaningChange() {
        Map<String, String> meta = new LinkedHashMap<>(CheckpointCodec.metadata(checkpoint(TrainingControls.none(), DataLayout.LINES)));
        assertEquals(1, CheckpointCodec.formatVersion(meta));
        meta.put("tokenizer", "bytes");
        assertEquals(2, CheckpointCodec.formatVersion(meta));
    }

    @Test
    void neutralValuesOfTheNewKeysNeedNoNewVersion() {
        Map<String, String> meta = new LinkedHashMap<>(CheckpointCodec.metadata(checkpoint(TrainingControls.none(), DataLayout.LINES)));
        meta.putAll(Map.of("warmup_steps", "0", "schedule", "linear", "min_learning_rate", "0", "weight_decay", "-0.0",
                "grad_clip", "0.0", "layout", "lines"));
        assertEquals(1, CheckpointCodec.formatVersion(meta));
    }

    @Test
    void aFutureMeaningChangingKeyIsRefusedByThisReader() throws IOException {
        Path plain = write(checkpoint(TrainingControls.none(), DataLayout.LINES), "plain.safetensors");
        int future = Checkpoint.FORMAT_VERSION + 1;
        Path file = Files.write(dir.resolve("future.safetensors"), editHeader(Files.readAllBytes(plain),
                h -> h.replace("\"format_version\":\"1\"", "\"format_version\":\"" + future + "\",\"frobnicate_steps\":\"3\"")));
        assertEquals("3", metadata(file, "frobnicate_steps"), "the forged key is in the file");
        MicrogptException refused = assertThrows(MicrogptException.class, () -> Checkpoint.read(file));
        assertEquals("checkpoint " + file + ": format version " + future + " is newer than this microgpt reads ("
                + Checkpoint.FORMAT_VERSION + "); use a newer microgpt", refused.getMessage());
    }

    @Test
    void aKeyThatChangesNoMeaningIsIgnored() throws IOException {
        Path plain = write(checkpoint(TrainingControls.none(), DataLayout.LINES), "plain.safetensors");
        Path file = Files.write(dir.resolve("noted.safetensors"), editHeader(Files.readAllBytes(plain),
                h -> h.replace("\"format_version\":\"1\"", "\"format_version\":\"1\",\"note\":\"trained on a Sunday\"")));
        assertEquals("trained on a Sunday", metadata(file, "note"));
        assertArrayEquals(Checkpoint.read(plain).parameters().data(), Checkpoint.read(file).parameters().data());
        assertArrayEquals(Checkpoint.read(plain).parameters().data(), readAs(1, file).parameters().data());
    }

    /** The file with its header text edited (length rewritten, padding redone), data unchanged. */
    private static byte[] editHeader(byte[] file, java.util.function.UnaryOperator<String> edit) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String edited = edit.apply(new String(file, 8, (int) n, StandardCharsets.UTF_8).stripTrailing());
        byte[] json = edited.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + file.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        out.put(file, 8 + (int) n, file.length - 8 - (int) n);
        return out.array();
    }
}
