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
 * shown once it is whole.
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
     * Generates {@code length} tokens after {@code prefix} (characters, with a character tokenizer), telling
     * {@code onCodePoint} each character as soon as it is whole.
     *
     * @param prefix      the text to continue (text the tokenizer encodes; any length, its last
     *                    {@code blockSize} tokens are the first context)
     * @param length      tokens to generate, &gt; 0
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
        StringBuilder out = new StringBuilder(length);
        Tokenizer.Decoder decoder = tokenizer.decoder();
        for (int n = 0; n < length; n++) {
            int token = nextToken.draw(logits, settings, rng, tokenizer.bos());
            emit(decoder.next(token), out, onCodePoint);
            if (n == length - 1) break;
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
        emit(decoder.finish(), out, onCodePoint);
        return out.toString();
    }

    private static void emit(String text, StringBuilder out, IntConsumer onCodePoint) {
        out.append(text);
        if (onCodePoint != null) text.codePoints().forEach(onCodePoint);
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
