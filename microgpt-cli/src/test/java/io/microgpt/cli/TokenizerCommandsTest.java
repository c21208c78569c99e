package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.tokenizer.BpeTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level BPE from the command line: {@code train --tokenizer bpe} in both layouts, its checkpoint
 * carrying the tokenizer (sample, info, resume and export need nothing else), {@code tokenizer
 * train|encode|decode|info}, and every bad combination refused in one line.
 */
class TokenizerCommandsTest {
    private static final String SHAKESPEARE = "../examples/tinyshakespeare.txt";

    @TempDir
    Path dir;

    @Test
    void aBpeRunOnNamesPrintsItsTokenizerAndSamplesNames() {
        CliRunner r = CliRunner.run("train", "--tokenizer", "bpe", "--vocab-size", "300", "--steps", "30", "--samples", "3");
        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = r.out().lines().collect(Collectors.toList());
        assertEquals("num docs: 32033", lines.get(0));
        assertEquals("vocab size: 301", lines.get(1), "300 tokens and BOS");
        assertTrue(lines.get(2).matches("tokenizer: byte-level BPE of 300 tokens \\+ BOS \\(GPT-2 pattern, 44 merges\\), "
                + "\\d\\.\\d\\d characters per token"), lines.get(2));
        assertEquals(3, lines.stream().filter(l -> l.startsWith("sample ")).count(), r.out());
    }

    @Test
    void aBpeStreamRunSavesItsTokenizerSoThatSampleInfoResumeAndExportNeedNothingElse() throws Exception {
        Path model = dir.resolve("m.safetensors");
        CliRunner first = CliRunner.run("train", "--layout", "stream", "--data", SHAKESPEARE, "--tokenizer", "bpe", "--vocab-size",
                "400", "--steps", "6", "--stop-after", "3", "--block-size", "16", "--save", model.toString(), "--quiet");
        assertEquals(0, first.exitCode(), first.describe());
        Checkpoint saved = Checkpoint.read(model);
        assertEquals(BpeTokenizer.KIND, saved.tokenizer().kind());
        assertEquals(401, saved.modelConfig().vocabSize());

        CliRunner info = CliRunner.run("info", model.toString(), "--export-tokenizer", dir.resolve("t.json").toString());
        assertEquals(0, info.exitCode(), info.describe());
        assertTrue(info.out().contains("vocabulary: byte-level BPE, 400 tokens + BOS (144 merges, GPT-2 pattern;"), info.out());
        assertEquals(saved.tokenizer().serialized(), Files.readString(dir.resolve("t.json")), "exported as recorded");

        CliRunner sample = CliRunner.run("sample", "--model", model.toString(), "--length", "40", "--prefix", "ROMEO:");
        assertEquals(0, sample.exitCode(), sample.describe());
        assertTrue(sample.out().startsWith("ROMEO:") && sample.out().endsWith("\n"), sample.describe());

        CliRunner contradicted = CliRunner.run("train", "--resume", model.toString(), "--vocab-size", "500");
        assertEquals(2, contradicted.exitCode());
        assertTrue(contradicted.err().startsWith("error: --vocab-size 500 contradicts the run saved in "), contradicted.err());
        CliRunner resumed = CliRunner.run("train", "--resume", model.toString(), "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.describe());
        assertEquals(6, Checkpoint.read(model).stepsDone());
    }

    @Test
    void tokenizerTrainEncodeDecodeAndInfoWorkTogether() throws Exception {
        Path json = dir.resolve("tokenizer.json");
        CliRunner train = CliRunner.run("tokenizer", "train", "--data", SHAKESPEARE, "--layout", "stream", "--vocab-size", "512",
                "--out", json.toString());
        assertEquals(0, train.exitCode(), train.describe());
        assertTrue(train.out().startsWith("learned 512 tokens + BOS (256 merges, GPT-2 pattern) from 1,003,854 characters"),
                train.out());
        Path text = dir.resolve("t.txt");
        String original = "To be, or not to be: that is the question.\n日本語 🙂 <|bos|> é";
        Files.writeString(text, original, StandardCharsets.UTF_8);
        CliRunner encode = CliRunner.run("tokenizer", "encode", "--tokenizer-file", json.toString(), text.toString());
        assertEquals(0, encode.exitCode(), encode.describe());
        int[] ids = Arrays.stream(encode.out().strip().split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(BpeTokenizer.read(json).encode(original), ids);
        assertTrue(Arrays.stream(ids).anyMatch(id -> id == 512), "the BOS text is BOS");
        Path idsFile = dir.resolve("ids.txt");
        Files.writeString(idsFile, encode.out());
        CliRunner decode = CliRunner.run("tokenizer", "decode", "--tokenizer-file", json.toString(), idsFile.toString());
        assertEquals(original, decode.out(), decode.describe());
        CliRunner info = CliRunner.run("tokenizer", "info", "--tokenizer-file", json.toString(), "--data", text.toString());
        assertEquals(0, info.exitCode(), info.describe());
        assertTrue(info.out().contains("tokenizer: byte-level BPE, 512 tokens + BOS = 513 ids (256 merges), GPT-2 pattern"), info.out());
        assertTrue(info.out().contains("a line, token by token: To |  be | , |"), info.out());
        // a run on the file learns nothing and uses it
        CliRunner run = CliRunner.run("train", "--layout", "stream", "--data", SHAKESPEARE, "--tokenizer-file", json.toString(),
                "--steps", "2", "--block-size", "8", "--quiet");
        assertEquals(0, run.exitCode(), run.describe());
    }

    @Test
    void badCombinationsAreOneLineEach() throws Exception {
        Path json = dir.resolve("tokenizer.json");
        assertEquals(0, CliRunner.run("tokenizer", "train", "--data", "../examples/cities.txt", "--vocab-size", "300",
                "--out", json.toString()).exitCode());
        refused("--vocab-size 255 is out of range: a byte-level BPE has 256 (the bytes) to 65535 tokens (BOS not counted)",
                "train", "--tokenizer", "bpe", "--vocab-size", "255");
        refused("--vocab-size 70000 is out of range: a byte-level BPE has 256 (the bytes) to 65535 tokens (BOS not counted)",
                "tokenizer", "train", "--data", SHAKESPEARE, "--vocab-size", "70000", "--out", json.toString());
        refused("--vocab-size is for --tokenizer bpe", "train", "--vocab-size", "300");
        refused("--tokenizer must be char or bpe, got 'wordpiece'", "train", "--tokenizer", "wordpiece");
        refused("--tokenizer-file holds a byte-level BPE: use it with --tokenizer bpe, or leave --tokenizer out",
                "train", "--tokenizer", "char", "--tokenizer-file", json.toString());
        CliRunner disagree = CliRunner.run("train", "--tokenizer-file", json.toString(), "--vocab-size", "512");
        assertEquals(2, disagree.exitCode());
        assertTrue(disagree.err().startsWith("error: --vocab-size 512 disagrees with --tokenizer-file "), disagree.err());
        Path notBpe = dir.resolve("wordpiece.json");
        Files.writeString(notBpe, Files.readString(json).replace("\"type\": \"BPE\"", "\"type\": \"WordPiece\""));
        CliRunner wrongKind = CliRunner.run("train", "--tokenizer-file", notBpe.toString());
        assertEquals(2, wrongKind.exitCode());
        assertEquals("error: tokenizer file '" + notBpe + "' is not a byte-level BPE: its model type is 'WordPiece', not 'BPE'",
                wrongKind.err().strip());
        CliRunner charExport = CliRunner.run("train", "--steps", "1", "--save", dir.resolve("c.safetensors").toString(), "--quiet");
        assertEquals(0, charExport.exitCode(), charExport.describe());
        CliRunner export = CliRunner.run("info", dir.resolve("c.safetensors").toString(), "--export-tokenizer",
                dir.resolve("x.json").toString());
        assertEquals(2, export.exitCode());
        assertTrue(export.err().contains("which has no tokenizer.json form"), export.err());
    }

    private static void refused(String message, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.describe());
        assertEquals("error: " + message, r.err().strip(), r.describe());
    }
}
