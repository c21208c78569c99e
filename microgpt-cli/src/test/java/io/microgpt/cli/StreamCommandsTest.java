package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.data.DataLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --layout stream}, its controls, {@code --save-best}, and {@code sample --length} from the CLI. */
class StreamCommandsTest {
    @TempDir
    Path dir;
    private Path text;

    @BeforeEach
    void writeText() throws IOException {
        String shakespeare = Files.readString(Path.of("../examples/tinyshakespeare.txt"), StandardCharsets.UTF_8);
        text = dir.resolve("play.txt");
        Files.writeString(text, shakespeare.substring(0, 6000), StandardCharsets.UTF_8);
    }

    private String[] train(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--layout", "stream", "--data", text.toString(),
                "--backend", "simd", "--n-embd", "16", "--n-head", "2", "--block-size", "24", "--batch", "4", "--steps", "20",
                "--lr", "3e-3", "--warmup", "4", "--schedule", "cosine", "--min-lr", "3e-4", "--weight-decay", "0.1",
                "--grad-clip", "1.0", "--beta1", "0.9", "--beta2", "0.99", "--eval-every", "5", "--eval-docs", "16"));
        for (int i = 0; i < extra.length; i += 2) {
            int at = args.indexOf(extra[i]);
            if (at >= 0) {
                args.set(at + 1, extra[i + 1]);   // a flag given again replaces the default's value
            } else {
                args.add(extra[i]);
                args.add(extra[i + 1]);
            }
        }
        return args.toArray(String[]::new);
    }

    private static void assertOneLineError(CliRunner r, String fragment) {
        assertEquals(2, r.exitCode(), r.describe());
        assertTrue(r.err().startsWith("error: ") && r.err().strip().lines().count() == 1, r.describe());
        assertTrue(r.err().contains(fragment), r.describe());
    }

    @Test
    void streamRunTrainsSavesTheBestAndEndsWithAPassage() {
        Path model = dir.resolve("m.safetensors");
        Path best = dir.resolve("best.safetensors");
        CliRunner r = CliRunner.run(train("--save", model.toString(), "--save-best", best.toString()));
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("stream: 6,000 characters (5,400 train, 600 validate)"), r.out());
        assertTrue(r.out().contains("best: " + best), r.out());
        String passage = r.out().substring(r.out().indexOf("--- generated text ---\n") + 23);
        assertEquals(LayoutOutput.STREAM_PASSAGE, passage.stripTrailing().codePointCount(0, passage.stripTrailing().length()), passage);
        assertTrue(r.err().contains("held-out windows"), r.err());
        Checkpoint saved = Checkpoint.read(model);
        assertEquals(DataLayout.STREAM, saved.layout());
        assertEquals(new TrainingControls(4, TrainingControls.Schedule.COSINE, 3e-4, 0.1, 1.0), saved.trainingConfig().controls());
        assertEquals(0.1, saved.validationFraction(), "stream mode holds out 10% by default");
        CliRunner info = CliRunner.run("info", model.toString());
        assertTrue(info.out().contains("controls: warm-up 4, cosine to min lr 3.0E-4, weight decay 0.1, grad clip 1.0"), info.out());
        assertTrue(info.out().contains("(stream layout, 6,000 characters, sha256"), info.out());
        Checkpoint kept = Checkpoint.read(best);
        assertTrue(kept.stepsDone() % 5 == 0 && kept.stepsDone() > 0, "saved after an evaluation: " + kept.stepsDone());
    }

    @Test
    void sampleGeneratesLengthCharactersAfterThePrefixPastTheBlock() {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRunner.run(train("--save", model.toString())).exitCode());
        CliRunner r = CliRunner.run("sample", "--model", model.toString(), "--length", "100", "--prefix", "First Citizen:\n",
                "--top-p", "0.9", "--top-k", "20", "--seed", "4");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("First Citizen:\n"), r.out());
        String generated = r.out().substring("First Citizen:\n".length(), r.out().length() - 1);
        assertEquals(100, generated.codePointCount(0, generated.length()), "100 characters, four blocks' worth: " + generated);
        assertEquals(r.out(), CliRunner.run("sample", "--model", model.toString(), "--length", "100", "--prefix",
                "First Citizen:\n", "--top-p", "0.9", "--top-k", "20", "--seed", "4").out(), "a seed repeats the passage");
    }

    @Test
    void aStreamRunResumesToTheUninterruptedRunsOutput() {
        Path once = dir.resolve("once.safetensors");
        Path twice = dir.resolve("twice.safetensors");
        CliRunner straight = CliRunner.run(train("--save", once.toString(), "--threads", "1"));
        assertEquals(0, straight.exitCode(), straight.describe());
        assertEquals(0, CliRunner.run(train("--save", twice.toString(), "--threads", "1", "--stop-after", "7")).exitCode());
        CliRunner resumed = CliRunner.run("train", "--resume", twice.toString(), "--threads", "1", "--eval-every", "5",
                "--eval-docs", "16");
        assertEquals(0, resumed.exitCode(), resumed.describe());
        assertEquals(stepsFrom8AndPassage(straight.out()), stepsFrom8AndPassage(resumed.out()));
    }

    /** The step lines from step 8 on, and the passage at the end. */
    private static List<String> stepsFrom8AndPassage(String out) {
        List<String> kept = new java.util.ArrayList<>(out.lines()
                .filter(l -> l.startsWith("step ") && Integer.parseInt(l.substring(5, 9).strip()) >= 8).toList());
        kept.add(out.substring(out.indexOf("--- generated text ---")));
        return kept;
    }

    @Test
    void badStreamInputGetsOneLineErrorsAndOverwritesNothing() throws IOException {
        Path keep = dir.resolve("keep.safetensors");
        byte[] before = "not touched".getBytes(StandardCharsets.UTF_8);
        Files.write(keep, before);
        assertOneLineError(CliRunner.run(train("--block-size", "700", "--save", keep.toString())),
                "validation part of " + text + " (validation fraction 0.1) has 600 tokens, fewer than block size 700 + 1: --block-size 599");
        assertOneLineError(CliRunner.run(train("--val-fraction", "0", "--save-best", keep.toString())), "--save-best needs a validation loss");
        assertOneLineError(CliRunner.run(train("--save", keep.toString(), "--save-best", keep.toString())), "file of its own");
        assertOneLineError(CliRunner.run(train("--samples", "5", "--save", keep.toString())), "--samples is for --layout lines");
        assertOneLineError(CliRunner.run(train("--warmup", "20")), "--warmup 20 must be less than --steps 20");
        assertOneLineError(CliRunner.run(train("--schedule", "step")), "--schedule must be linear or cosine");
        assertOneLineError(CliRunner.run(train("--min-lr", "0.1")), "--min-lr 0.1 must not be above --lr");
        assertOneLineError(CliRunner.run("train", "--layout", "pages"), "--layout must be lines or stream");
        assertOneLineError(CliRunner.run("train", "--layout", "stream"), "--layout stream needs --data FILE");
        assertArrayEquals(before, Files.readAllBytes(keep), "a refused run leaves the file alone");

        Path model = dir.resolve("m.safetensors");
        assertEquals(0, CliRunner.run(train("--save", model.toString())).exitCode());
        assertOneLineError(CliRunner.run("sample", "--model", model.toString(), "--length", "0"), "--length must be positive");
        assertOneLineError(CliRunner.run("sample", "--model", model.toString(), "--prefix", "Citizen{"), "'{'");
        assertOneLineError(CliRunner.run("sample", "--model", model.toString(), "--samples", "3"), "--samples is for models of names");
        assertOneLineError(CliRunner.run("sample", "--model", model.toString(), "--top-p", "0"), "--top-p");
        Path partial = dir.resolve("partial.safetensors");
        assertEquals(0, CliRunner.run(train("--save", partial.toString(), "--stop-after", "3")).exitCode());
        assertOneLineError(CliRunner.run("train", "--resume", partial.toString(), "--layout", "lines"), "--layout lines contradicts");
        assertOneLineError(CliRunner.run("train", "--resume", partial.toString(), "--grad-clip", "2"), "--grad-clip 2.0 contradicts");

        Path names = dir.resolve("names.safetensors");
        assertEquals(0, CliRunner.run("train", "--steps", "2", "--samples", "0", "--save", names.toString()).exitCode());
        assertOneLineError(CliRunner.run("sample", "--model", names.toString(), "--length", "50"), "--length is for models trained with --layout stream");
        CliRunner lines = CliRunner.run("sample", "--model", names.toString(), "--samples", "3", "--top-p", "0.5");
        assertEquals(0, lines.exitCode(), lines.describe());
        assertEquals(4, lines.out().lines().count(), "names mode gains --top-p: " + lines.out());
    }

    @Test
    void samplesZeroOrLengthZeroEndEitherRunWithoutASample() {
        for (String[] none : new String[][] {{"--samples", "0"}, {"--length", "0"}}) {
            CliRunner stream = CliRunner.run(train("--steps", "6", none[0], none[1]));
            assertEquals(0, stream.exitCode(), stream.describe());
            assertTrue(lastLine(stream).startsWith("step    6 /    6 | loss"), "the step lines are the last output: " + stream.out());
            CliRunner lines = CliRunner.run("train", "--steps", "3", none[0], none[1]);
            assertEquals(0, lines.exitCode(), lines.describe());
            assertTrue(lastLine(lines).startsWith("step    3 /    3 | loss"), "the step lines are the last output: " + lines.out());
        }
        CliRunner shorter = CliRunner.run(train("--steps", "6", "--length", "40"));
        String passage = shorter.out().substring(shorter.out().indexOf("--- generated text ---\n") + 23);
        assertEquals(40, passage.stripTrailing().codePointCount(0, passage.stripTrailing().length()), passage);
        assertOneLineError(CliRunner.run("train", "--steps", "3", "--length", "40"), "--length is for --layout stream");
        assertOneLineError(CliRunner.run(train("--length", "-1")), "--length must be 0 or more, got -1");
    }

    private static String lastLine(CliRunner r) {
        return r.out().stripTrailing().lines().reduce((first, second) -> second).orElse("");
    }

    @Test
    void theDefaultLinesRunIsUnchangedByTheNewFlagsAtTheirDefaults() {
        CliRunner plain = CliRunner.run("train", "--steps", "5", "--samples", "3");
        CliRunner explicit = CliRunner.run("train", "--steps", "5", "--samples", "3", "--layout", "lines", "--beta1", "0.85",
                "--beta2", "0.99", "--warmup", "0", "--schedule", "linear", "--min-lr", "0", "--weight-decay", "0", "--grad-clip", "0");
        assertEquals(0, plain.exitCode(), plain.describe());
        assertEquals(plain.out(), explicit.out());
        assertFalse(plain.out().contains("stream"));
    }
}
