package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refused flag value is told in one line that names the flag as typed, the value, and what would be
 * accepted, with no Java type or class name: the flag that is wrong is the one named ({@code --lr -1} is about
 * {@code --lr}, not {@code --min-lr}), and a value of the wrong kind says which kind the flag takes.
 */
class FlagMessagesTest {
    /** Words that would leak Java's types into a message. */
    private static final Pattern JAVA = Pattern.compile("java\\.|Exception|BigInteger|Integer\\b|\\bint\\b|\\bdouble\\b|\\blong\\b");

    @TempDir
    static Path dir;

    private static void assertRefused(String expected, String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.exitCode(), r.describe());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of("error: " + expected), errors, String.join(" ", args));
        assertFalse(JAVA.matcher(r.err()).find(), "no Java names: " + r.err());
    }

    @Test
    void trainNamesTheFlagThatIsWrong() {
        assertRefused("--lr must be a positive finite number, got -1.0", "train", "--lr", "-1");
        assertRefused("--lr must be a positive finite number, got NaN", "train", "--lr", "NaN");
        assertRefused("--lr must be a positive finite number, got Infinity", "train", "--lr", "1e400");
        assertRefused("--steps must be 0 or more, got -1", "train", "--steps", "-1");
        assertRefused("--batch must be positive, got 0", "train", "--batch", "0");
        assertRefused("--threads must be 0 (automatic) or positive, got -1", "train", "--threads", "-1");
        assertRefused("--min-lr 0.5 must not be above --lr 0.01", "train", "--min-lr", "0.5");
    }

    @Test
    void aValueOfTheWrongKindSaysWhichKindTheFlagTakes() {
        assertRefused("--seed 'abc' is not an integer", "train", "--seed", "abc");
        assertRefused("--seed '1.5' is not an integer", "train", "--seed", "1.5");
        assertRefused("--steps 'x' is not an integer", "train", "--steps", "x");
        assertRefused("--steps '99999999999' is out of range (an integer from -2147483648 to 2147483647)", "train", "--steps", "99999999999");
        assertRefused("--lr 'abc' is not a number", "train", "--lr", "abc");
        assertRefused("--grad-clip 'inf' is not a number", "train", "--grad-clip", "inf");
        assertRefused("--seed 'x' is not an integer", "sample", "--model", "m.safetensors", "--seed", "x");
        assertRefused("--top-p 'all' is not a number", "sample", "--model", "m.safetensors", "--top-p", "all");
        assertRefused("--seed 'x' is not an integer", "gradcheck", "--seed", "x");
        assertRefused("--n-embd 'x' is not an integer", "bench", "--n-embd", "16,x");
        assertRefused("--seconds 'soon' is not a number", "bench", "--seconds", "soon");
    }

    @Test
    void theOtherCommandsNameTheirFlagsToo() {
        Path model = dir.resolve("m.safetensors");
        CliRunner made = CliRunner.run("train", "--steps", "1", "--n-embd", "8", "--n-head", "2", "--samples", "0", "--save", model.toString());
        assertEquals(0, made.exitCode(), made.describe());
        assertRefused("--threads must be 0 (automatic) or positive, got -1", "sample", "--model", model.toString(), "--threads", "-1");
        assertRefused("--fd-samples must be 1 or more, got 0", "gradcheck", "--fd-samples", "0");
        assertRefused("--fd-step must be a positive finite number, got 0.0", "gradcheck", "--fd-step", "0");
        assertRefused("--threads must be 0 (automatic) or positive, got -1", "bench", "--threads", "-1");
    }
}
