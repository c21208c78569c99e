package io.microgpt.core;

import static io.microgpt.core.CheckpointFixtures.dataStart;
import static io.microgpt.core.CheckpointFixtures.editHeader;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.checkpoint.SafetensorsFile;
import io.microgpt.core.spi.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad file gives a one-line {@link MicrogptException} that names the problem. The test prints
 * each case with its message (the list the closing note quotes).
 */
class BadCheckpointTest {
    @TempDir
    Path dir;
    private byte[] valid;
    private byte[] validF32;
    private Checkpoint validRead;

    @BeforeEach
    void writeValidFiles() throws IOException {
        Path f64 = dir.resolve("valid64.safetensors");
        CheckpointFixtures.checkpoint(true).write(f64, DType.F64);
        valid = Files.readAllBytes(f64);
        validRead = Checkpoint.read(f64);
        Path f32 = dir.resolve("valid32.safetensors");
        CheckpointFixtures.checkpoint(true).write(f32, DType.F32);
        validF32 = Files.readAllBytes(f32);
    }

    private record Case(String name, byte[] bytes, String fragment) {
    }

    @Test
    void everyBadFileNamesItsProblem() throws IOException {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("empty file", new byte[0], "the file is empty (0 bytes)"));
        cases.add(new Case("5-byte file", Arrays.copyOf(valid, 5), "too short for a safetensors header"));
        cases.add(new Case("truncated inside the header", Arrays.copyOf(valid, 100), "runs past the end of the 100-byte file"));
        cases.add(new Case("truncated inside the data", Arrays.copyOf(valid, valid.length - 100), "run past the end of the data"));
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        cases.add(new Case("4 KiB of random bytes", random, "header length"));
        cases.add(new Case("forged header length 2^62", withLength(valid, 1L << 62), "header length 4611686018427387904 runs past the end"));
        cases.add(new Case("forged header length 2^64-1", withLength(valid, -1L), "header length 18446744073709551615 runs past the end"));
        cases.add(new Case("forged header length 8 too short", withLength(valid, dataStart(valid) - 16), "header is not valid JSON"));
        cases.add(new Case("header not starting with '{'", edit(h -> "[" + h.substring(1)), "does not start with '{'"));
        cases.add(new Case("bad JSON (closing brace missing)", edit(h -> h.substring(0, h.length() - 1)), "header is not valid JSON: unexpected end"));
        cases.add(new Case("bad JSON (trailing comma)", edit(h -> h.replace("\"format\":\"microgpt\",", "\"format\":\"microgpt\",,")),
                "header is not valid JSON: expected a string key"));
        cases.add(new Case("duplicate JSON key", edit(h -> h.replace("\"format\":\"microgpt\",", "\"format\":\"microgpt\",\"format\":\"microgpt\",")),
                "duplicate key 'format'"));
        cases.add(new Case("header not UTF-8", notUtf8(), "the header is not valid UTF-8"));
        cases.add(new Case("metadata value not a string", edit(h -> h.replace("\"seed\":\"42\"", "\"seed\":42")),
                "__metadata__ entry 'seed' is not a string"));
        cases.add(new Case("unknown dtype", edit(h -> h.replaceFirst("\"F64\"", "\"F99\"")), "tensor 'wte' has unknown dtype 'F99'"));
        cases.add(new Case("unsupported dtype", edit(h -> h.replaceFirst("\"F64\"", "\"BF16\"")), "tensor 'wte' has dtype BF16, which microgpt does not read"));
        cases.add(new Case("overlapping offsets", edit(h -> h.replace("[160,288]", "[152,280]")), "tensors 'wte' and 'wpe' overlap"));
        cases.add(new Case("offsets out of range", edit(h -> h.replace("[288,448]", "[999992,1000152]")),
                "tensor 'lm_head' data_offsets [999992, 1000152] run past the end of the data"));
        cases.add(new Case("offsets not ascending", edit(h -> h.replace("[288,448]", "[448,288]")), "not an ascending pair"));
        byte[] trailing = Arrays.copyOf(valid, valid.length + 8);
        cases.add(new Case("trailing bytes after the last tensor", trailing, "the data has 8 bytes after the last tensor"));
        cases.add(new Case("shape disagrees with offsets", edit(h -> h.replace("\"shape\":[5,4],\"data_offsets\":[0,160]", "\"shape\":[5,5],\"data_offsets\":[0,160]")),
                "tensor 'wte' has shape [5, 5] of F64 (200 bytes) but its data_offsets span 160 bytes"));
        cases.add(new Case("wrong shape for the config", edit(h -> h.replace("\"shape\":[5,4],\"data_offsets\":[0,160]", "\"shape\":[4,5],\"data_offsets\":[0,160]")),
                "tensor 'wte' has shape [4, 5] but the model config in the metadata"));
        cases.add(new Case("NaN weight", patchDouble(valid, dataStart(valid) + 3 * 8, Double.NaN), "tensor 'wte' holds NaN at [0, 3]"));
        cases.add(new Case("infinite weight in an F32 file", patchFloat(validF32, dataStart(validF32) + 160 / 2, Float.POSITIVE_INFINITY),
                "tensor 'wpe' holds Infinity at [0, 0]"));
        long vBegin = validRead.tensors().stream().filter(t -> t.name().equals("adam.v.wte")).findFirst().orElseThrow().begin();
        cases.add(new Case("negative Adam second moment", patchDouble(valid, dataStart(valid) + (int) vBegin + 8, -1.0),
                "tensor 'adam.v.wte' holds -1.0 at [0, 1] where only values >= 0 make sense"));
        cases.add(new Case("vocabulary shorter than the embedding", edit(h -> h.replace("\"vocab\":\"abcd\"", "\"vocab\":\"abc\"")),
                "the vocabulary has 3 characters + BOS = 4 tokens but vocab_size (the rows of wte and lm_head) is 5"));
        cases.add(new Case("vocabulary not sorted", edit(h -> h.replace("\"vocab\":\"abcd\"", "\"vocab\":\"abdc\"")),
                "vocabulary characters must be unique and sorted"));
        cases.add(new Case("another config (n_embd 8)", edit(h -> h.replace("\"n_embd\":\"4\"", "\"n_embd\":\"8\"")),
                "tensor 'wte' has shape [5, 4] but the model config in the metadata (vocab_size 5, n_embd 8, block_size 4) needs [5, 8]"));
        cases.add(new Case("another config (n_layer 2)", edit(h -> h.replace("\"n_layer\":\"1\"", "\"n_layer\":\"2\"")),
                "the file holds 27 tensors but a model with n_layer 2 has 15 (45 with training state)"));
        cases.add(new Case("another config (huge n_layer)", edit(h -> h.replace("\"n_layer\":\"1\"", "\"n_layer\":\"2000000000\"")),
                "the file holds 27 tensors but a model with n_layer 2000000000 has"));
        cases.add(new Case("invalid config (n_head 3)", edit(h -> h.replace("\"n_head\":\"2\"", "\"n_head\":\"3\"")),
                "the model config in the metadata is invalid: n_embd 4 is not divisible by n_head 3"));
        cases.add(new Case("no __metadata__", edit(h -> h.replaceFirst("\"__metadata__\":\\{[^}]*\\},", "")), "the header has no __metadata__"));
        cases.add(new Case("not a microgpt checkpoint", edit(h -> h.replace("\"format\":\"microgpt\"", "\"format\":\"other\"")), "not a microgpt checkpoint"));
        cases.add(new Case("newer format version", edit(h -> h.replace("\"format_version\":\"1\"", "\"format_version\":\"3\"")),
                "format version 3 is newer than this microgpt reads (2)"));
        cases.add(new Case("metadata key missing", edit(h -> h.replace("\"seed\":\"42\",", "")), "metadata 'seed' is missing"));
        cases.add(new Case("metadata number malformed", edit(h -> h.replace("\"n_embd\":\"4\"", "\"n_embd\":\"four\"")),
                "metadata 'n_embd' is 'four', not a whole number"));
        cases.add(new Case("metadata decimal malformed", edit(h -> h.replace("\"learning_rate\":\"0.01\"", "\"learning_rate\":\"NaN\"")),
                "metadata 'learning_rate' is 'NaN', not a decimal number"));
        cases.add(new Case("unexpected tensor name", edit(h -> h.replace("\"lm_head\":", "\"lm_hat\":")), "unexpected tensor 'lm_hat'"));
        cases.add(new Case("random state missing", edit(h -> h.replaceFirst(",\"rng_mt\":\"[0-9a-f]*\",\"rng_index\":\"\\d+\",\"rng_gauss_next\":\"[^\"]*\"", "")),
                "the file has Adam moments but no random state"));
        cases.add(new Case("steps_done beyond steps", edit(h -> h.replace("\"steps_done\":\"3\"", "\"steps_done\":\"11\"")),
                "steps_done 11 is outside 0..10"));

        List<String> report = new ArrayList<>();
        Path file = dir.resolve("m.safetensors");
        for (Case c : cases) {
            Files.write(file, c.bytes());
            MicrogptException e = assertThrows(MicrogptException.class, () -> Checkpoint.read(file), c.name());
            String message = e.getMessage();
            assertTrue(message.startsWith("checkpoint " + file + ": "), c.name() + ": " + message);
            assertTrue(message.contains(c.fragment()), c.name() + ": expected '" + c.fragment() + "' in: " + message);
            assertTrue(!message.contains("\n"), c.name() + ": one line");
            report.add(c.name() + " -> " + message.replace(dir.toString() + "/", ""));
        }

        byte[] huge = new byte[(int) SafetensorsFile.MAX_HEADER_BYTES + 16];
        Arrays.fill(huge, (byte) ' ');
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(huge.length - 8).put(8, (byte) '{');
        Files.write(file, huge);
        MicrogptException e = assertThrows(MicrogptException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains("over the 16 MiB limit"), e.getMessage());
        report.add("header length over the limit (16 MiB + 8 file) -> " + e.getMessage().replace(dir.toString() + "/", ""));

        Path missing = dir.resolve("missing.safetensors");
        e = assertThrows(MicrogptException.class, () -> Checkpoint.read(missing));
        assertTrue(e.getMessage().equals("checkpoint " + missing + " does not exist"), e.getMessage());
        report.add("missing file -> " + e.getMessage().replace(dir.toString() + "/", ""));
        e = assertThrows(MicrogptException.class, () -> Checkpoint.read(dir));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        report.add("a folder -> " + e.getMessage().replace(dir.toString(), "DIR"));

        System.out.println("bad checkpoint cases (" + report.size() + "):");
        report.forEach(line -> System.out.println("  " + line));
    }

    private byte[] edit(UnaryOperator<String> change) {
        String before = CheckpointFixtures.header(valid);
        String after = change.apply(before);
        if (after.equals(before)) throw new AssertionError("the edit changed nothing: the fixture's header is not as expected");
        return editHeader(valid, h -> after);
    }

    private byte[] notUtf8() {
        byte[] bytes = editHeader(valid, h -> h.replace("\"backend\":\"scalar\"", "\"backend\":\"sc~lar\""));
        for (int i = 8; i < bytes.length; i++) {
            if (bytes[i] == '~') {
                bytes[i] = (byte) 0xff;
                return bytes;
            }
        }
        throw new AssertionError("marker not found");
    }

    private static byte[] withLength(byte[] file, long length) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return copy;
    }

    private static byte[] patchDouble(byte[] file, int at, double value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, value);
        return copy;
    }

    private static byte[] patchFloat(byte[] file, int at, float value) {
        byte[] copy = file.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, value);
        return copy;
    }
}
