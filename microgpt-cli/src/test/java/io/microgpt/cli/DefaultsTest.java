package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.TrainingControls;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.Dataset;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every default the CLI shows is the library's: a run built with no settings (and core's sampling defaults) is
 * what {@code microgpt train} and {@code microgpt sample} do without flags, and their help says so.
 */
class DefaultsTest {
    @Test
    void trainShowsTheDefaultsOfARunBuiltWithNoSettings() {
        CommandLine train = new CommandLine(new TrainCommand());
        try (TrainingRun run = TrainingRun.builder(Dataset.of("two names", List.of("ab", "ba"))).start()) {
            ModelConfig m = run.modelConfig();
            TrainingConfig t = run.trainingConfig();
            TrainingControls c = t.controls();
            assertShown(train, "--n-embd", m.nEmbd());
            assertShown(train, "--n-head", m.nHead());
            assertShown(train, "--n-layer", m.nLayer());
            assertShown(train, "--block-size", m.blockSize());
            assertShown(train, "--steps", t.steps());
            assertShown(train, "--lr", t.learningRate());
            assertShown(train, "--seed", t.seed());
            assertShown(train, "--beta1", t.beta1());
            assertShown(train, "--beta2", t.beta2());
            assertShown(train, "--warmup", c.warmupSteps());
            assertShown(train, "--schedule", c.schedule().flag());
            assertShown(train, "--min-lr", c.minLearningRate());
            assertShown(train, "--weight-decay", c.weightDecay());
            assertShown(train, "--grad-clip", c.gradClip());
            assertShown(train, "--backend", run.backend().name());
            assertEquals(Backends.reference().name(), run.backend().name());
            assertEquals(0.0, run.validationFraction(), "a run on documents holds none out");
        }
        assertShown(train, "--temperature", SamplingSettings.DEFAULT_TEMPERATURE);
        assertShown(train, "--layout", DataLayout.LINES.flag());
        String help = train.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertTrue(help.contains("(default: " + DataLayout.LINES.defaultValidationFraction() + ", no validation)")
                && help.contains("(default: " + DataLayout.STREAM.defaultValidationFraction() + ")"), help);
    }

    @Test
    void sampleShowsTheLibrarysSamplingDefaults() {
        CommandLine sample = new CommandLine(new SampleCommand());
        SamplingSettings reference = SamplingSettings.ofTemperature(SamplingSettings.DEFAULT_TEMPERATURE);
        assertShown(sample, "--temperature", reference.temperature());
        assertShown(sample, "--top-k", reference.topK());
        assertShown(sample, "--top-p", reference.topP());
    }

    @Test
    void benchAndGradcheckShowTheReferenceShape() {
        CommandLine bench = new CommandLine(new BenchCommand());
        ModelConfig reference = ModelConfig.reference(27);
        assertShown(bench, "--n-head", reference.nHead());
        assertShown(bench, "--n-layer", reference.nLayer());
        assertShown(bench, "--block-size", reference.blockSize());
        CommandLine gradcheck = new CommandLine(new GradCheckCommand());
        assertShown(gradcheck, "--n-embd", reference.nEmbd());
        assertShown(gradcheck, "--seed", TrainingConfig.reference().seed());
    }

    /** The option's default, read as the option's type, is {@code expected}, and its help line shows it. */
    private static void assertShown(CommandLine command, String flag, Object expected) {
        OptionSpec option = command.getCommandSpec().findOption(flag);
        String shown = option.defaultValue();
        Object parsed = expected instanceof Integer ? Integer.valueOf(shown)
                : expected instanceof Double ? Double.valueOf(shown)
                : expected instanceof BigInteger ? new BigInteger(shown) : shown;
        assertEquals(expected, parsed, command.getCommandName() + " " + flag + " shows default " + shown);
        String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");   // lines wrap anywhere
        assertTrue(help.contains("default: " + shown), command.getCommandName() + " " + flag + " help: " + help);
    }
}
