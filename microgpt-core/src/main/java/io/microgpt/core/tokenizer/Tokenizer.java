package io.microgpt.core.tokenizer;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;

/**
 * Text to token ids and back, with one id set aside as BOS, the token that starts and ends every document.
 * {@link CharTokenizer} (one id per character, the reference's) is the first kind, {@link BpeTokenizer} (a
 * byte-level BPE learned from text, interchangeable with Hugging Face's) the second.
 *
 * <p>A checkpoint records a tokenizer as its {@link #kind()} and its {@link #serialized()} form and rebuilds it
 * with {@link #restore}. Tokenizers are immutable and thread-safe; their {@link Decoder}s are not.
 */
public interface Tokenizer {

    /** Number of token ids, BOS included. */
    int vocabSize();

    /** The BOS token id. */
    int bos();

    /** The ids of a text, without BOS; a {@link MicrogptException} for text this tokenizer cannot encode. */
    int[] encode(String text);

    /** A document as the model sees it: BOS, the text's ids, BOS. */
    default int[] encodeDocument(String document) {
        int[] ids = encode(document);
        int[] tokens = new int[ids.length + 2];
        tokens[0] = bos();
        System.arraycopy(ids, 0, tokens, 1, ids.length);
        tokens[tokens.length - 1] = bos();
        return tokens;
    }

    /**
     * The text of ids: the inverse of {@link #encode}. BOS is the tokenizer's to define: a {@link CharTokenizer}
     * refuses it, a {@link BpeTokenizer} writes its text (which encodes back to BOS).
     */
    String decode(int[] ids);

    /**
     * How many characters (code points) of a text this token accounts for, so that a loss per token can be
     * turned into bits per character: each character counts in the token that holds its first byte, and BOS
     * counts one (the end of a document, where the text had a line break). A {@link CharTokenizer}'s are all 1.
     */
    int characters(int id);

    /** A fresh decoder for one sequence of ids, turned into text as they come. */
    Decoder decoder();

    /** The name of this kind of tokenizer, as checkpoints record it (e.g. {@code char}). */
    String kind();

    /** Everything needed to rebuild this tokenizer, as one string; {@link #restore} reads it back. */
    String serialized();

    /** The tokenizer a checkpoint recorded as {@code kind} and {@code serialized}. */
    static Tokenizer restore(String kind, String serialized) {
        if (kind.equals(CharTokenizer.KIND)) return CharTokenizer.ofSymbols(serialized);
        if (kind.equals(BpeTokenizer.KIND)) return TokenizerJson.read(serialized, "tokenizer_data");
        throw new MicrogptException("unknown tokenizer kind " + Text.quote(kind) + " (this microgpt knows "
                + Text.quote(CharTokenizer.KIND) + " and " + Text.quote(BpeTokenizer.KIND) + ")");
    }

    /**
     * Turns ids into text one at a time, for text shown as it is generated. A token may end inside a character
     * (a byte-level tokenizer's may), so a decoder holds such a token's text back until the character is whole.
     * Not thread-safe: one per sequence.
     */
    interface Decoder {
        /** The text that becomes whole with this id (BOS not allowed): empty while a character is still incomplete. */
        String next(int id);

        /** What is still held back at the end of the sequence (an incomplete character); empty when nothing is. */
        default String finish() {
            return "";
        }
    }
}
