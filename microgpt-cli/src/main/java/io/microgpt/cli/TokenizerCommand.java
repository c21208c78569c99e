package io.microgpt.cli;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.TrainingConfig;
import io.microgpt.core.data.DataLayout;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.files.InputFiles;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code microgpt tokenizer train|encode|decode|info}: make a byte-level BPE once, and look at what it does. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = "Learn a byte-level BPE from a text and save it as a tokenizer.json (which 'train --tokenizer-file'"
                + " and Python's tokenizers read), or look at one: the ids of a text, the text of ids, its vocabulary.",
        subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class, TokenizerCommand.Decode.class,
                TokenizerCommand.Info.class})
final class TokenizerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new MicrogptException("say what to do: microgpt tokenizer train|encode|decode|info (--help for each)");
    }

    /** Reads a text file (UTF-8, a regular file, whole), naming the flag in messages. */
    static String readText(Path file, String what) {
        byte[] bytes = InputFiles.readAll(file, what, Integer.MAX_VALUE - 8);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MicrogptException(what + " " + Text.shown(file) + " is not valid UTF-8");
        }
    }

    /** {@code tokenizer train}: a BPE learned from what a run on this data would train on. */
    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Learn a byte-level BPE from the part of --data a run with the same --layout, --val-fraction"
                    + " and --seed trains on (never its held-out part), and write it to --out as a tokenizer.json.",
                    "Then 'microgpt train --tokenizer-file FILE' (with those flags) uses it, run after run."})
    static final class Train implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--data", paramLabel = "FILE", required = true, description = "UTF-8 text to learn from")
        private Path data;

        @Option(names = "--layout", paramLabel = "lines|stream", defaultValue = "lines",
                description = "as train's: lines learns from the documents (one per line), stream from the whole text"
                        + " (default: ${DEFAULT-VALUE})")
        private String layout = "lines";

        @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "" + BpeTrainer.DEFAULT_VOCAB_SIZE,
                description = "tokens to learn, the 256 bytes included and BOS not (" + BpeTrainer.MIN_VOCAB_SIZE + ".."
                        + BpeTrainer.MAX_VOCAB_SIZE + "; default: ${DEFAULT-VALUE})")
        private int vocabSize;

        @Option(names = "--pretokenize", paramLabel = "gpt2|none", defaultValue = "gpt2",
                description = "split the text into words by GPT-2's pattern first, or not (default: ${DEFAULT-VALUE})")
        private String pretokenize = "gpt2";

        @Option(names = "--val-fraction", paramLabel = "F",
                description = "the share a run holds out, which is not learned from (default: the layout's, as train's:"
                        + " " + DataLayout.DEFAULT_LINES_VALIDATION_FRACTION + " for lines, "
                        + DataLayout.DEFAULT_STREAM_VALIDATION_FRACTION + " for a stream)")
        private Double validationFraction;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "" + TrainingConfig.DEFAULT_SEED,
                description = "the run's seed, which picks the held-out documents (lines; default: ${DEFAULT-VALUE})")
        private BigInteger seed;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "the tokenizer.json to write")
        private Path out;

        @Override
        public Integer call() {
            BpeTrainer.checkVocabSize(vocabSize, Flags::of);
            if (!pretokenize.equals("gpt2") && !pretokenize.equals("none")) {
                throw new MicrogptException("--pretokenize must be gpt2 or none, got " + Text.quote(pretokenize));
            }
            DataLayout dataLayout;
            try {
                dataLayout = DataLayout.parse(layout);
            } catch (MicrogptException e) {
                throw new MicrogptException("--layout must be lines or stream, got " + Text.quote(layout));
            }
            double fraction = validationFraction != null ? validationFraction : dataLayout.defaultValidationFraction();
            io.microgpt.core.TrainingRun.checkValidationFraction(fraction, Flags::of);
            TrainingData loaded = dataLayout.load(data);
            List<String> texts = loaded.trainingTexts(seed, fraction);
            long characters = 0;
            for (String t : texts) characters += t.codePointCount(0, t.length());
            BpeTokenizer tokenizer = new BpeTrainer(vocabSize, pretokenize.equals("gpt2")).train(texts);
            tokenizer.write(out);
            long tokens = 0;
            for (String t : texts) tokens += tokenizer.encode(t).length;
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "learned %,d tokens + BOS (%,d merges%s) from %,d characters of %s%s: %.2f characters per"
                            + " token%n", tokenizer.learnedSize(), tokenizer.mergeCount(),
                    tokenizer.splitsWords() ? ", GPT-2 pattern" : ", no pattern", characters, Text.shown(data),
                    fraction > 0 ? String.format(Locale.ROOT, " (the %s left after holding out %s)",
                            dataLayout == DataLayout.LINES ? "documents" : "text", fraction) : "",
                    (double) characters / Math.max(1, tokens));
            if (tokenizer.learnedSize() < vocabSize) {
                w.printf(Locale.ROOT, "(the text ran out of pairs before %,d tokens)%n", vocabSize);
            }
            w.println("wrote " + Text.shown(out));
            w.flush();
            return 0;
        }
    }

    /** The tokenizer of {@code --tokenizer-file} or of {@code --model}'s checkpoint, exactly one of them. */
    static final class Source {
        @Option(names = "--tokenizer-file", paramLabel = "FILE", required = true, description = "a tokenizer.json")
        Path file;

        @Option(names = "--model", paramLabel = "FILE", required = true, description = "a checkpoint: its tokenizer")
        Path model;

        Tokenizer tokenizer() {
            return file != null ? BpeTokenizer.read(file) : Checkpoint.read(model).tokenizer();
        }
    }

    /** {@code tokenizer encode}: a text's ids. */
    @Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print the ids of a text (a UTF-8 file) on one line, separated by single spaces, as Python's"
                    + " tokenizers encodes it (no BOS added; the BOS token's text in the file is BOS).")
    static final class Encode implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ArgGroup(multiplicity = "1")
        private Source source;

        @Parameters(index = "0", paramLabel = "FILE", description = "the text to encode")
        private Path text;

        @Override
        public Integer call() {
            int[] ids = source.tokenizer().encode(readText(text, "text"));
            PrintWriter w = spec.commandLine().getOut();
            w.println(IntStream.of(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            w.flush();
            return 0;
        }
    }

    /** {@code tokenizer decode}: the text of ids. */
    @Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Print the text of ids (a file holding them as 'encode' prints them: separated by whitespace), as"
                    + " it was before encoding; bytes that do not form UTF-8 come out as U+FFFD.")
    static final class Decode implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ArgGroup(multiplicity = "1")
        private Source source;

        @Parameters(index = "0", paramLabel = "FILE", description = "the ids to decode")
        private Path ids;

        @Override
        public Integer call() {
            Tokenizer tokenizer = source.tokenizer();
            String line = readText(ids, "ids file").strip();
            List<Integer> values = new ArrayList<>();
            if (!line.isEmpty()) {
                for (String word : line.split("\\s+")) {
                    try {
                        values.add(Integer.parseInt(word));
                    } catch (NumberFormatException e) {
                        throw new MicrogptException("ids file " + Text.shown(ids) + " holds " + Text.quote(word)
                                + ", not a token id (whole numbers separated by spaces, as 'tokenizer encode' prints)");
                    }
                }
            }
            PrintWriter w = spec.commandLine().getOut();
            w.print(tokenizer.decode(values.stream().mapToInt(Integer::intValue).toArray()));
            w.flush();
            return 0;
        }
    }

    /** {@code tokenizer info}: what a tokenizer holds and how it splits a text. */
    @Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Show a tokenizer's vocabulary (size, merges, pattern, BOS, its longest tokens) and, with --data,"
                    + " how much it compresses that text (characters per token) and how it splits a line of it.")
    static final class Info implements Callable<Integer> {
        private static final int LONGEST = 10;

        @Spec
        private CommandSpec spec;

        @ArgGroup(multiplicity = "1")
        private Source source;

        @Option(names = "--data", paramLabel = "FILE", description = "a text to measure the compression on and split a line of")
        private Path data;

        @Override
        public Integer call() {
            Tokenizer tokenizer = source.tokenizer();
            PrintWriter w = spec.commandLine().getOut();
            if (!(tokenizer instanceof BpeTokenizer bpe)) {
                w.println("tokenizer: " + tokenizer.kind() + ", " + tokenizer.vocabSize() + " tokens (BOS included)");
                w.flush();
                return 0;
            }
            w.printf(Locale.ROOT, "tokenizer: byte-level BPE, %,d tokens + BOS = %,d ids (%,d merges), %s%n", bpe.learnedSize(),
                    bpe.vocabSize(), bpe.mergeCount(), bpe.splitsWords() ? "GPT-2 pattern" : "no pattern");
            w.println("BOS: id " + bpe.bos() + ", " + Text.quote(bpe.bosText()));
            List<Integer> ids = new ArrayList<>();
            for (int id = 0; id < bpe.vocabSize(); id++) if (id != bpe.bos()) ids.add(id);
            ids.sort(Comparator.comparingInt((Integer id) -> -bpe.tokenBytes(id).length).thenComparingInt(id -> id));
            w.println("longest tokens: " + ids.subList(0, Math.min(LONGEST, ids.size())).stream()
                    .map(id -> id + " " + Text.quote(new String(bpe.tokenBytes(id), StandardCharsets.UTF_8)))
                    .collect(Collectors.joining(", ")));
            if (data != null) {
                String text = readText(data, "--data");
                int[] encoded = bpe.encode(text);
                w.printf(Locale.ROOT, "%s: %,d characters in %,d tokens, %.2f characters per token%n", Text.shown(data),
                        text.codePointCount(0, text.length()), encoded.length,
                        (double) text.codePointCount(0, text.length()) / Math.max(1, encoded.length));
                String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
                StringBuilder split = new StringBuilder();
                for (int id : bpe.encode(line)) {
                    if (split.length() > 0) split.append(" | ");
                    split.append(Text.line(new String(bpe.tokenBytes(id), StandardCharsets.UTF_8)));
                }
                w.println("a line, token by token: " + split);
            }
            w.flush();
            return 0;
        }
    }
}
