package io.microgpt.core.tokenizer;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.spi.LogitStream;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The reference's character tokenizer: the sorted unique characters (Unicode code points) of the dataset get
 * ids {@code 0..n-1}, and id {@code n} is BOS, which both starts and ends every document. A checkpoint records it
 * as its characters in id order (metadata {@code vocab}). Immutable and thread-safe.
 */
public final class CharTokenizer implements Tokenizer {
    /** The largest vocabulary (characters + BOS) a run accepts. */
    public static final int MAX_VOCAB_SIZE = 65_536;
    /** Its {@link #kind()}. */
    public static final String KIND = "char";

    private final int[] codePoints;

    private CharTokenizer(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints;
    }

    /** The vocabulary of the given documents. */
    public static CharTokenizer fromDocuments(List<String> documents) {
        TreeSet<Integer> unique = new TreeSet<>();
        for (String doc : documents) doc.codePoints().forEach(unique::add);
        return new CharTokenizer(unique.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A tokenizer over exactly these characters, in this order (e.g. read back from a checkpoint). */
    public static CharTokenizer ofSymbols(String symbols) {
        int[] cps = symbols.codePoints().toArray();
        for (int i = 1; i < cps.length; i++) {
            if (cps[i] <= cps[i - 1]) {
                throw new MicrogptException("vocabulary characters must be unique and sorted by code point, got "
                        + Text.quote(symbols));
            }
        }
        return new CharTokenizer(cps);
    }

    /** The characters of the vocabulary in id order, as one string. */
    public String symbols() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** The BOS token id, one past the last character id. */
    @Override
    public int bos() {
        return codePoints.length;
    }

    /** Number of token ids, BOS included. */
    @Override
    public int vocabSize() {
        return codePoints.length + 1;
    }

    /** The id of one character (a code point). */
    public int id(int codePoint) {
        int id = Arrays.binarySearch(codePoints, codePoint);
        if (id < 0) {
            throw new MicrogptException("character " + Text.quote(new String(Character.toChars(codePoint))) + " (U+"
                    + String.format("%04X", codePoint) + ") is not in the vocabulary");
        }
        return id;
    }

    /** The ids of a text's characters, without BOS. */
    @Override
    public int[] encode(String text) {
        return text.codePoints().map(this::id).toArray();
    }

    /** The character of one id (not BOS). */
    public String symbol(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new MicrogptException("token id " + id + " is not a character id (0.." + (codePoints.length - 1) + ")");
        }
        return new String(Character.toChars(codePoints[id]));
    }

    /**
     * The text of character ids (BOS not allowed): the inverse of {@link #encode}, for callers that drive a
     * {@link LogitStream} themselves rather than through {@code io.microgpt.core.sampling.Sampler}.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= codePoints.length) symbol(id);   // refuses it, naming the range
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    /** Every id is a whole character: the decoder holds nothing back. */
    @Override
    public Decoder decoder() {
        return this::symbol;
    }

    /** Every character is one token, and BOS counts one (the end of a document). */
    @Override
    public int characters(int id) {
        if (id < 0 || id > codePoints.length) {
            throw new MicrogptException("token id " + id + " is not in the vocabulary (0.." + codePoints.length + ")");
        }
        return 1;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The characters in id order: {@link #symbols()}. */
    @Override
    public String serialized() {
        return symbols();
    }
}
