package io.microgpt.core.sampling;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.Text;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.tokenizer.Tokenizer;
import java.util.function.IntConsumer;

/**
 * Generates text of any length from a model trained on a stream (the {@code stream} layout), one token at a
 * time, past the block size: while the context is shorter than the block, each token is fed at the next
 * position of one {@link LogitStream}; once it holds {@code blockSize} tokens, the oldest drops and the kept
 * window is fed again from position 0 (nanoGPT's crop of the context to its last {@code blockSize} tokens),
 * so each token costs at most one block's forward pass. BOS never occurs in a stream and is never drawn.
 *
 * <p>The context starts with the prefix; an empty prefix starts it with a newline (as nanoGPT's
 * {@code sample.py} does), or when the vocabulary cannot encode a newline with token 0, and that start is not
 * part of the output. Tokens become text through the tokenizer's {@link Tokenizer.Decoder}, so a character is
 * shown once it is whole, also when the tokens of a byte-level BPE cut it across the block's boundary.
 *
 * <p>Not thread-safe: its engine is used by one call at a time (as {@code TrainingRun#generate} ensures for its
 * callers).
 */
public final class TextGenerator {
    private final Engine engine;
    private final Tokenizer tokenizer;
    private final NextToken nextToken;
    private final int blockSize;

    /** A generator over an engine's current weights. */
    public TextGenerator(Engine engine, Tokenizer tokenizer) {
        this.nextToken = NextToken.forModel(engine, tokenizer);
        this.engine = engine;
        this.tokenizer = tokenizer;
        this.blockSize = engine.config().blockSize();
    }

    /**
     * Generates {@code length} characters after {@code prefix}, telling {@code onCodePoint} each character as soon
     * as it is whole. With a character tokenizer a token is a character; with a byte-level BPE a token may hold
     * several characters or part of one, so tokens are drawn until the text has {@code length} characters, and the
     * last token's surplus is cut off.
     *
     * @param prefix      the text to continue (text the tokenizer encodes; any length, its last
     *                    {@code blockSize} tokens are the first context)
     * @param length      characters to generate, &gt; 0
     * @param settings    temperature, top-k, top-p
     * @param rng         the random source
     * @param onCodePoint called with each generated code point, in order (may be null)
     * @return the generated text (without the prefix)
     */
    public String generate(String prefix, int length, SamplingSettings settings, PyRandom rng, IntConsumer onCodePoint) {
        if (length <= 0) throw new MicrogptException("the length to generate must be positive, got " + length);
        int[] prefixIds = encodePrefix(prefix);
        int[] context = new int[blockSize];
        int count = Math.min(prefixIds.length, blockSize);
        System.arraycopy(prefixIds, prefixIds.length - count, context, 0, count);
        LogitStream stream = engine.openStream();
        double[] logits = null;
        for (int i = 0; i < count; i++) logits = stream.next(context[i]);
        Output out = new Output(length, onCodePoint);
        Tokenizer.Decoder decoder = tokenizer.decoder();
        while (true) {
            int token = nextToken.draw(logits, settings, rng, tokenizer.bos());
            out.emit(decoder.next(token));
            if (out.full()) break;
            if (count < blockSize) {
                context[count++] = token;
                logits = stream.next(token);
            } else {
                // The context is full: drop the oldest token and feed the kept window from position 0.
                System.arraycopy(context, 1, context, 0, blockSize - 1);
                context[blockSize - 1] = token;
                stream.reset();
                for (int i = 0; i < blockSize; i++) logits = stream.next(context[i]);
            }
        }
        out.emit(decoder.finish());
        return out.text();
    }

    /** The generated text, up to {@code length} characters, each handed to the callback as it comes. */
    private static final class Output {
        private final StringBuilder text;
        private final int length;
        private final IntConsumer onCodePoint;
        private int characters;

        Output(int length, IntConsumer onCodePoint) {
            this.text = new StringBuilder(length);
            this.length = length;
            this.onCodePoint = onCodePoint;
        }

        void emit(String s) {
            for (int i = 0; i < s.length() && characters < length; ) {
                int cp = s.codePointAt(i);
                i += Character.charCount(cp);
                text.appendCodePoint(cp);
                characters++;
                if (onCodePoint != null) onCodePoint.accept(cp);
            }
        }

        boolean full() {
            return characters >= length;
        }

        String text() {
            return text.toString();
        }
    }

    private int[] encodePrefix(String prefix) {
        if (!prefix.isEmpty()) {
            try {
                return tokenizer.encode(prefix);
            } catch (MicrogptException e) {
                throw new MicrogptException("the prefix " + Text.quote(prefix) + " cannot be encoded: " + e.getMessage());
            }
        }
        try {
            return tokenizer.encode("\n");
        } catch (MicrogptException notInTheVocabulary) {
            return new int[] {0};
        }
    }
}
