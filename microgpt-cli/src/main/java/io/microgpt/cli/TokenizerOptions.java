package io.microgpt.cli;

import io.microgpt.core.Checkpoint;
import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.data.Dataset;
import io.microgpt.core.data.TextStream;
import io.microgpt.core.data.TrainingData;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * Which tokenizer a run's model reads and writes ({@code --tokenizer}, {@code --vocab-size},
 * {@code --tokenizer-file}, {@code --pretokenize}), checked together, and the tokenizer they make for a run:
 * the data's characters, a byte-level BPE learned from the run's training part, or one read from a file.
 */
final class TokenizerOptions {
    static final String CHAR = CharTokenizer.KIND;
    static final String BPE = BpeTokenizer.KIND;

    @Option(names = "--tokenizer", paramLabel = "char|bpe", defaultValue = CHAR,
            description = "char: one token per character of the data (the reference's); bpe: a byte-level BPE learned from"
                    + " the run's training part (never its held-out part), which Python's tokenizers reads too"
                    + " (default: ${DEFAULT-VALUE})")
    String kind = CHAR;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "" + BpeTrainer.DEFAULT_VOCAB_SIZE,
            description = "bpe: tokens to learn, the 256 bytes included and BOS not (" + BpeTrainer.MIN_VOCAB_SIZE + ".."
                    + BpeTrainer.MAX_VOCAB_SIZE + "; 256 = bytes only; default: ${DEFAULT-VALUE})")
    int vocabSize = BpeTrainer.DEFAULT_VOCAB_SIZE;

    @Option(names = "--tokenizer-file", paramLabel = "FILE",
            description = "a tokenizer.json to use instead of learning one (from 'microgpt tokenizer train', or a byte-level"
                    + " BPE saved by Python's tokenizers); implies --tokenizer bpe")
    Path file;

    @Option(names = "--pretokenize", paramLabel = "gpt2|none", defaultValue = "gpt2",
            description = "bpe: split the text into words by GPT-2's pattern before learning and encoding (gpt2), or not"
                    + " (none: tokens may span words and spaces) (default: ${DEFAULT-VALUE})")
    String pretokenize = "gpt2";

    /** Throws a {@link MicrogptException} for flags that do not go together; before any work starts. */
    void validate(ParseResult parsed) {
        if (!kind.equals(CHAR) && !kind.equals(BPE)) {
            throw new MicrogptException("--tokenizer must be char or bpe, got " + Text.quote(kind));
        }
        if (!pretokenize.equals("gpt2") && !pretokenize.equals("none")) {
            throw new MicrogptException("--pretokenize must be gpt2 or none, got " + Text.quote(pretokenize));
        }
        if (file != null) {
            if (parsed.hasMatchedOption("--tokenizer") && kind.equals(CHAR)) {
                throw new MicrogptException("--tokenizer-file holds a byte-level BPE: use it with --tokenizer bpe, or leave"
                        + " --tokenizer out");
            }
            if (parsed.hasMatchedOption("--pretokenize")) {
                throw new MicrogptException("--pretokenize comes with --tokenizer-file (its pre_tokenizer's use_regex): leave it out");
            }
            return;
        }
        if (kind.equals(CHAR)) {
            for (String flag : new String[] {"--vocab-size", "--pretokenize"}) {
                if (parsed.hasMatchedOption(flag)) throw new MicrogptException(flag + " is for --tokenizer bpe");
            }
            return;
        }
        BpeTrainer.checkVocabSize(vocabSize, Flags::of);
    }

    /** Whether the run uses a byte-level BPE. */
    boolean bpe() {
        return file != null || kind.equals(BPE);
    }

    /**
     * The data under the run's tokenizer: as loaded for {@code char}; for {@code bpe}, the file's tokenizer or one
     * learned from what a run with this seed and validation fraction trains on.
     */
    TrainingData apply(TrainingData data, ParseResult parsed, BigInteger seed, double validationFraction) {
        if (!bpe()) return data;
        BpeTokenizer tokenizer;
        if (file != null) {
            tokenizer = BpeTokenizer.read(file);
            if (parsed.hasMatchedOption("--vocab-size") && vocabSize != tokenizer.learnedSize()) {
                throw new MicrogptException("--vocab-size " + vocabSize + " disagrees with --tokenizer-file " + Text.shown(file)
                        + ", which has " + tokenizer.learnedSize() + " tokens (BOS not counted): leave --vocab-size out");
            }
        } else {
            tokenizer = new BpeTrainer(vocabSize, pretokenize.equals("gpt2")).train(data.trainingTexts(seed, validationFraction));
        }
        return data.withTokenizer(tokenizer, validationFraction);
    }

    /**
     * Refuses flags that contradict the tokenizer of the run being resumed (which continues on its own): another
     * kind, size, pattern or file.
     */
    void checkResumed(ParseResult parsed, Checkpoint resumed, Path checkpointFile) {
        Tokenizer saved = resumed.tokenizer();
        String has = saved instanceof BpeTokenizer b ? "a " + b.learnedSize() + "-token BPE" + (b.splitsWords() ? "" : " without pattern")
                : "the " + saved.kind() + " tokenizer";
        String contradiction = null;
        if ((parsed.hasMatchedOption("--tokenizer") || file != null) && !(file != null ? BPE : kind).equals(saved.kind())) {
            contradiction = file != null ? "--tokenizer-file" : "--tokenizer " + kind;
        } else if (saved instanceof BpeTokenizer b) {
            if (parsed.hasMatchedOption("--vocab-size") && vocabSize != b.learnedSize()) contradiction = "--vocab-size " + vocabSize;
            else if (parsed.hasMatchedOption("--pretokenize") && pretokenize.equals("gpt2") != b.splitsWords()) {
                contradiction = "--pretokenize " + pretokenize;
            } else if (file != null && !BpeTokenizer.read(file).serialized().equals(b.serialized())) {
                contradiction = "--tokenizer-file " + Text.shown(file);
            }
        } else if (parsed.hasMatchedOption("--vocab-size") || parsed.hasMatchedOption("--pretokenize")) {
            contradiction = parsed.hasMatchedOption("--vocab-size") ? "--vocab-size " + vocabSize : "--pretokenize " + pretokenize;
        }
        if (contradiction != null) {
            throw new MicrogptException(contradiction + " contradicts the run saved in " + Text.shown(checkpointFile) + " (" + has
                    + "); leave the tokenizer flags out to resume it on its own tokenizer");
        }
    }

    /** A line for the run's header: what the BPE is and how much it compresses the data; null for characters. */
    static String describe(TrainingData data) {
        if (!(data.tokenizer() instanceof BpeTokenizer b)) return null;
        double charactersPerToken;
        if (data instanceof TextStream stream) {
            charactersPerToken = (double) stream.size() / stream.length();
        } else {
            long characters = 0;
            long tokens = 0;
            for (String doc : ((Dataset) data).documents()) characters += doc.codePointCount(0, doc.length());
            for (int length : data.sampleLengths(1)) tokens += length - 2;
            charactersPerToken = (double) characters / Math.max(1, tokens);
        }
        return String.format(Locale.ROOT, "tokenizer: byte-level BPE of %,d tokens + BOS (%s, %s), %.2f characters per token",
                b.learnedSize(), b.splitsWords() ? "GPT-2 pattern" : "no pattern",
                b.mergeCount() == 0 ? "bytes only" : String.format(Locale.ROOT, "%,d merges", b.mergeCount()), charactersPerToken);
    }
}
