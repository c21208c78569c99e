package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.TrainingRun;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.TextStream;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.ParseResult;

/**
 * The part of {@code train}'s output that depends on the data layout, chosen in one place ({@link #of}): the line
 * that describes the data before training, and what is sampled after it: {@code --samples} names, or a passage
 * of {@code --length} characters. {@code --samples 0} or {@code --length 0} means no closing sample in either
 * layout; a positive value of the other layout's flag is refused.
 */
interface LayoutOutput {
    /** Characters generated at the end of a stream run unless {@code --length} says otherwise. */
    int STREAM_PASSAGE = 300;

    /** The output of a run in this layout, with the closing sample the flags ask for. */
    static LayoutOutput of(DataLayout layout, TrainCommand.ClosingSampleOptions sampling, ParseResult parsed) {
        return switch (layout) {
            case LINES -> new Names(closing(parsed, "--length", sampling.length, sampling.samples,
                    "--length is for --layout stream (a passage of characters); a names run ends with --samples names"));
            case STREAM -> new Passage(closing(parsed, "--samples", sampling.samples, sampling.length,
                    "--samples is for --layout lines (names); a stream run ends with a passage of --length characters"
                            + " (default " + STREAM_PASSAGE + "), and 'microgpt sample --model FILE --length N' generates more"));
        };
    }

    /**
     * How much this layout samples at the end: its own flag's value, or none when the other layout's flag
     * ({@code otherFlag}) is given as 0; a positive value of the other flag is refused with {@code refusal}.
     */
    private static int closing(ParseResult parsed, String otherFlag, int otherValue, int own, String refusal) {
        if (!parsed.hasMatchedOption(otherFlag)) return own;
        if (otherValue != 0) throw new MicrogptException(refusal);
        return 0;
    }

    /** The line on the data, printed before the vocabulary size. */
    String dataLine(TrainingRun run);

    /** Samples from the trained model as the layout's data reads (nothing when the flags asked for none). */
    void sample(TrainingRun run, double temperature, boolean quiet, PrintWriter out);

    /** Documents: {@code num docs: N}, then the reference's names. */
    record Names(int count) implements LayoutOutput {
        @Override
        public String dataLine(TrainingRun run) {
            return "num docs: " + run.data().size();
        }

        @Override
        public void sample(TrainingRun run, double temperature, boolean quiet, PrintWriter out) {
            if (count == 0) return;
            if (!quiet) out.println("--- inference (new, hallucinated names) ---");
            for (int i = 1; i <= count; i++) out.println(String.format("sample %2d: %s", i, run.sample(temperature)));
            out.flush();
        }
    }

    /** A stream: its characters and their split, then a passage of {@code length} characters printed as it is generated. */
    record Passage(int length) implements LayoutOutput {
        @Override
        public String dataLine(TrainingRun run) {
            TextStream text = (TextStream) run.data();
            int training = text.trainingLength(run.validationFraction());
            String tokens = text.tokenizer() instanceof io.microgpt.core.tokenizer.CharTokenizer ? "characters"
                    : String.format(Locale.ROOT, "characters, %,d tokens",
                    text.length());
            return String.format(Locale.ROOT, "stream: %,d %s (%,d train, %,d validate)", text.size(), tokens, training,
                    text.length() - training);
        }

        @Override
        public void sample(TrainingRun run, double temperature, boolean quiet, PrintWriter out) {
            if (length == 0) return;
            if (!quiet) out.println("--- generated text ---");
            out.flush();
            run.generate("", length, SamplingSettings.ofTemperature(temperature), cp -> out.print(Character.toChars(cp)));
            out.println();
            out.flush();
        }
    }
}
