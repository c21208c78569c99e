package io.microgpt.core.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.PyRandom;
import io.microgpt.core.SamplingSettings;
import io.microgpt.core.spi.AdamStep;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.LogitStream;
import io.microgpt.core.spi.OptimizerState;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.tokenizer.BpeTokenizer;
import io.microgpt.core.tokenizer.BpeTrainer;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextGeneratorTest {
    private static final String CHARS = "abcdefgh";
    private static final int BLOCK = 4;
    private static final Tokenizer TOKENIZER = CharTokenizer.ofSymbols(CHARS);
    private static final ModelConfig CONFIG = new ModelConfig(CHARS.length() + 1, 4, 1, 1, BLOCK, 0.08);

    /**
     * A model whose next token is computable: after a context (since the last reset) of n tokens starting with
     * token f, it puts nearly all probability on (f + n) mod 8; BOS gets the largest logit of all, so a generator
     * that did not exclude it would draw it.
     */
    private static class CountingEngine implements Engine {
        final List<String> feeds = new ArrayList<>();

        @Override
        public ModelConfig config() {
            return CONFIG;
        }

        @Override
        public LogitStream openStream() {
            return new LogitStream(CONFIG) {
                private final int[] context = new int[BLOCK];

                @Override
                protected void compute(int token, int position, double[] logits) {
                    if (position == 0 && !feeds.isEmpty()) feeds.add("reset");
                    context[position] = token;
                    feeds.add((position + 1) + ":" + token);
                    java.util.Arrays.fill(logits, 0);
                    logits[(context[0] + position + 1) % CHARS.length()] = 60;
                    logits[TOKENIZER.bos()] = 100;
                }
            };
        }

        @Override public double trainStep(int[][] documents, AdamStep step) { throw new UnsupportedOperationException(); }
        @Override public double lossAndGradient(int[][] documents, double[] gradient) { throw new UnsupportedOperationException(); }
        @Override public double loss(int[][] documents) { throw new UnsupportedOperationException(); }
        @Override public Parameters parameters() { throw new UnsupportedOperationException(); }
        @Override public void loadParameters(Parameters parameters) { throw new UnsupportedOperationException(); }
        @Override public OptimizerState optimizerState() { throw new UnsupportedOperationException(); }
        @Override public void loadOptimizerState(OptimizerState state) { throw new UnsupportedOperationException(); }
        @Override public void close() { }
    }

    /** nanoGPT's loop: the next token is the model's on the last min(block, length) tokens of the context. */
    private static String expected(String prefix, int length) {
        List<Integer> context = new ArrayList<>();
        for (int id : TOKENIZER.encode(prefix)) context.add(id);
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < length; n++) {
            List<Integer> window = context.subList(Math.max(0, context.size() - BLOCK), context.size());
            int next = (window.get(0) + window.size()) % CHARS.length();
            context.add(next);
            out.append(CHARS.charAt(next));
        }
        return out.toString();
    }

    @Test
    void generatesPastTheBlockBySlidingTheWindow() {
        CountingEngine engine = new CountingEngine();
        StringBuilder streamed = new StringBuilder();
        String text = new TextGenerator(engine, TOKENIZER).generate("ab", 12, SamplingSettings.ofTemperature(1),
                new PyRandom(1), streamed::appendCodePoint);
        assertEquals(expected("ab", 12), text);
        assertEquals(text, streamed.toString(), "every character is handed to the callback, in order");
        // "ab" + 2 generated fill the block of 4; from the 5th token on, each is fed from position 0 with the last 4
        // (a "reset" marks a feed at position 0 after the first)
        assertEquals(List.of("1:0", "2:1", "3:" + CHARS.indexOf(text.charAt(0)), "4:" + CHARS.indexOf(text.charAt(1)),
                "reset"), engine.feeds.subList(0, 5));
        assertEquals(12 - 3, engine.feeds.stream().filter("reset"::equals).count(), "one re-encoding per token past the block");
    }

    @Test
    void aLongPrefixKeepsItsLastBlockAndAnEmptyOneStartsFromTheFirstCharacter() {
        assertEquals(expected("hgfedcba", 6), new TextGenerator(new CountingEngine(), TOKENIZER)
                .generate("hgfedcba", 6, SamplingSettings.ofTemperature(1), new PyRandom(1), null));
        // no newline in this vocabulary: the context starts with its first character, 'a', which is not output
        assertEquals(expected("a", 5), new TextGenerator(new CountingEngine(), TOKENIZER)
                .generate("", 5, SamplingSettings.ofTemperature(1), new PyRandom(1), null));
    }

    @Test
    void badLengthAndForeignPrefixAreRefused() {
        TextGenerator g = new TextGenerator(new CountingEngine(), TOKENIZER);
        assertTrue(assertThrows(MicrogptException.class,
                () -> g.generate("a", 0, SamplingSettings.ofTemperature(1), new PyRandom(1), null)).getMessage().contains("positive"));
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> g.generate("abz", 3, SamplingSettings.ofTemperature(1), new PyRandom(1), null));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("not in the vocabulary"), e.getMessage());
    }

    /**
     * A byte-level BPE of bytes only (every multibyte character is several tokens) and a model that always puts
     * its weight on the byte after the last one in a fixed cycle: "é", "ж", "日", "🙂" (11 distinct bytes). With a
     * block of 4 the context is cropped in the middle of characters; the text must still come out whole, and
     * {@code length} counts characters, not tokens.
     */
    @Test
    void aByteLevelTokenizerDecodesWholeCharactersAcrossTheBlockBoundary() {
        String cycle = "éж日🙂";
        BpeTokenizer bytes = new BpeTrainer(256, true).train(List.of(cycle));
        int[] ids = bytes.encode(cycle);
        assertEquals(11, ids.length, "one token per byte");
        int[] next = new int[bytes.vocabSize()];
        for (int i = 0; i < ids.length; i++) next[ids[i]] = ids[(i + 1) % ids.length];
        ModelConfig config = new ModelConfig(bytes.vocabSize(), 4, 1, 1, BLOCK, 0.08);
        Engine engine = new CountingEngine() {
            @Override
            public ModelConfig config() {
                return config;
            }

            @Override
            public LogitStream openStream() {
                return new LogitStream(config) {
                    @Override
                    protected void compute(int token, int position, double[] logits) {
                        java.util.Arrays.fill(logits, 0);
                        logits[next[token]] = 80;
                    }
                };
            }
        };
        StringBuilder streamed = new StringBuilder();
        String text = new TextGenerator(engine, bytes).generate("é", 9, SamplingSettings.ofTemperature(1), new PyRandom(3),
                streamed::appendCodePoint);
        assertEquals("ж日🙂éж日🙂éж", text, "9 characters (22 tokens), each whole");
        assertEquals(text, streamed.toString());
    }
}
