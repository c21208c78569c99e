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
 * that describes the data before training, and the text sampled after it (names, or a passage).
 */
interface LayoutOutput {
    /** Characters generated at the end of a stream run. */
    int STREAM_PASSAGE = 300;

    /** The output of a run in this layout. */
    static LayoutOutput of(DataLayout layout) {
        return switch (layout) {
            case LINES -> new Names();
            case STREAM -> new Passage();
        };
    }

    /** Refuses flags that mean nothing in this layout. */
    void refuseFlags(ParseResult parsed);

    /** The line on the data, printed before the vocabulary size. */
    String dataLine(TrainingRun run);

    /** Samples from the trained model, as the layout's data reads: {@code --samples} names, or a passage. */
    void sample(TrainingRun run, SamplingOptions sampling, boolean quiet, PrintWriter out);

    /** Documents: {@code num docs: N}, then the reference's names. */
    final class Names implements LayoutOutput {
        @Override
        public void refuseFlags(ParseResult parsed) {
        }

        @Override
        public String dataLine(TrainingRun run) {
            return "num docs: " + run.data().size();
        }

        @Override
        public void sample(TrainingRun run, SamplingOptions sampling, boolean quiet, PrintWriter out) {
            if (!quiet) out.println("--- inference (new, hallucinated names) ---");
            for (int i = 1; i <= sampling.samples; i++) {
                out.println(String.format("sample %2d: %s", i, run.sample(sampling.temperature)));
            }
            out.flush();
        }
    }

    /** A stream: its characters and their split, then a passage printed as it is generated. */
    final class Passage implements LayoutOutput {
        @Override
        public void refuseFlags(ParseResult parsed) {
            if (parsed.hasMatchedOption("--samples")) {
                throw new MicrogptException("--samples is for --layout lines (names); a stream run ends with a passage of "
                        + STREAM_PASSAGE + " characters, and 'microgpt sample --model FILE --length N' generates more");
            }
        }

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
        public void sample(TrainingRun run, SamplingOptions sampling, boolean quiet, PrintWriter out) {
            if (!quiet) out.println("--- generated text ---");
            out.flush();
            run.generate("", STREAM_PASSAGE, SamplingSettings.ofTemperature(sampling.temperature), cp -> out.print(Character.toChars(cp)));
            out.println();
            out.flush();
        }
    }
}
