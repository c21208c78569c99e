package io.microgpt.core.tokenizer;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.files.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A byte-level BPE tokenizer: a text's UTF-8 bytes are the starting tokens (so every text is encodable and no
 * token is ever unknown), joined by merge rules learned from text ({@link BpeTrainer}) or read from a Hugging Face
 * {@code tokenizer.json} ({@link #read}). One more token, BOS, starts and ends every document.
 *
 * <p>Encoding does what {@code tokenizers} does with the same file, id for id: the BOS token's text, where it
 * occurs in a text, is that token; the rest is split into words by GPT-2's pattern ({@link #splitsWords()}; else
 * each stretch is one word), and within each word the pair whose rule ranks first is joined until no pair has a
 * rule. Decoding joins the tokens' bytes and reads them as UTF-8, an ill-formed stretch as U+FFFD; a text holding
 * unpaired surrogates (no UTF-8 text can) encodes them as U+FFFD, so {@code decode(encode(t))} is {@code t} for every
 * text without unpaired surrogates.
 *
 * <p>Immutable and thread-safe: every call works on its own scratch space.
 */
public final class BpeTokenizer implements Tokenizer {
    /** Its {@link #kind()}: checkpoints record it with the {@code tokenizer.json} text as its data. */
    public static final String KIND = "bpe";

    private final byte[][] tokens;
    private final int bos;
    private final String bosText;
    private final boolean bosInModel;
    private final MergeTable merges;
    private final boolean splitWords;
    private final int[] byteToken = new int[256];
    private final int[] characters;

    /**
     * @param tokens     the bytes of each id, ids 0..n-1 ({@code tokens[bos]}: see {@code bosInModel})
     * @param bos        the BOS id
     * @param bosText    the BOS token's text
     * @param bosInModel whether BOS is also one of the model's tokens (its bytes in {@code tokens[bos]}), as when
     *                   training learned its text or a file lists it in the model's vocabulary; else
     *                   {@code tokens[bos]} is ignored and BOS stands for its text's UTF-8
     * @param merges     the merge rules in rank order, over these ids
     * @param splitWords whether texts are split by GPT-2's pattern first
     */
    BpeTokenizer(byte[][] tokens, int bos, String bosText, boolean bosInModel, MergeTable merges, boolean splitWords) {
        this.tokens = tokens.clone();
        this.bos = bos;
        this.bosText = bosText;
        this.bosInModel = bosInModel;
        if (!bosInModel) this.tokens[bos] = bosText.getBytes(StandardCharsets.UTF_8);
        this.merges = merges;
        this.splitWords = splitWords;
        Arrays.fill(byteToken, -1);
        for (int id = 0; id < tokens.length; id++) {
            if (id != bos && this.tokens[id].length == 1 && byteToken[this.tokens[id][0] & 0xFF] < 0) {
                byteToken[this.tokens[id][0] & 0xFF] = id;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (byteToken[b] < 0) throw new IllegalArgumentException("no token for byte " + b);
        }
        characters = new int[this.tokens.length];
        for (int id = 0; id < characters.length; id++) {
            if (id == bos) {
                characters[id] = 1;
                continue;
            }
            for (byte b : this.tokens[id]) if ((b & 0xC0) != 0x80) characters[id]++;
        }
    }

    /**
     * A trained tokenizer: {@code tokens} are ids 0..n-1 and BOS becomes id n, unless training learned BOS's text
     * as a token (a text holding it, without GPT-2's pattern): then that token is BOS, as Python's
     * {@code add_special_tokens} makes it.
     */
    static BpeTokenizer trained(java.util.List<byte[]> tokens, MergeTable merges, boolean splitWords, String bosText) {
        byte[] bosBytes = bosText.getBytes(StandardCharsets.UTF_8);
        for (int id = 0; id < tokens.size(); id++) {
            if (Arrays.equals(tokens.get(id), bosBytes) && ByteLevel.encode(bosBytes).equals(bosText)) {
                return new BpeTokenizer(tokens.toArray(new byte[0][]), id, bosText, true, merges, splitWords);
            }
        }
        byte[][] all = tokens.toArray(new byte[tokens.size() + 1][]);
        all[tokens.size()] = bosBytes;
        return new BpeTokenizer(all, tokens.size(), bosText, false, merges, splitWords);
    }

    /** Reads a Hugging Face {@code tokenizer.json} holding a byte-level BPE; see {@link TokenizerJson}. */
    public static BpeTokenizer read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MicrogptException("cannot read tokenizer file " + io.microgpt.core.Text.quote(file) + ": "
                    + e.getClass().getSimpleName() + " " + io.microgpt.core.Text.bounded(e.getMessage()), e);
        }
        return fromJson(json, file.toString());
    }

    /** A tokenizer from the text of a {@code tokenizer.json}; {@code source} names it in messages. */
    public static BpeTokenizer fromJson(String json, String source) {
        return TokenizerJson.read(json, "tokenizer file " + io.microgpt.core.Text.quote(source));
    }

    /** This tokenizer as a Hugging Face {@code tokenizer.json}, byte for byte as Python's {@code save} writes it. */
    public String toJson() {
        return TokenizerJson.write(this);
    }

    /** Writes {@link #toJson()} to a file, atomically (the old file stays whole if writing fails). */
    public void write(Path file) {
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) channel.write(buffer);
        });
    }

    /** Number of ids, BOS included. */
    @Override
    public int vocabSize() {
        return tokens.length;
    }

    /** The BOS id. */
    @Override
    public int bos() {
        return bos;
    }

    /** The BOS token's text. */
    public String bosText() {
        return bosText;
    }

    /** Whether texts are split into words by GPT-2's pattern before merging. */
    public boolean splitsWords() {
        return splitWords;
    }

    /**
     * The tokens learned, bytes included and BOS not: the vocabulary size that made it ({@link BpeTrainer}), or
     * less when its text ran out of pairs.
     */
    public int learnedSize() {
        return bosInModel ? tokens.length : tokens.length - 1;
    }

    /** Number of merge rules. */
    public int mergeCount() {
        return merges.size();
    }

    /** The bytes of one id (BOS: its text's UTF-8). */
    public byte[] tokenBytes(int id) {
        checkId(id);
        return tokens[id].clone();
    }

    /** The ids of a text, without BOS around it (the BOS text inside it is BOS). */
    @Override
    public int[] encode(String text) {
        Encoder encoder = new Encoder(text.length());
        int from = 0;
        if (!bosText.isEmpty()) {
            for (int at = text.indexOf(bosText); at >= 0; at = text.indexOf(bosText, from)) {
                encoder.stretch(text, from, at);
                encoder.out.add(bos);
                from = at + bosText.length();
            }
        }
        encoder.stretch(text, from, text.length());
        return encoder.out.toArray();
    }

    /** The bytes of some ids, joined (BOS as its text). */
    public byte[] decodeBytes(int[] ids) {
        int length = 0;
        for (int id : ids) {
            checkId(id);
            length += tokens[id].length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int id : ids) {
            System.arraycopy(tokens[id], 0, out, at, tokens[id].length);
            at += tokens[id].length;
        }
        return out;
    }

    /** The text of some ids (BOS as its text, which encodes back to BOS), ill-formed UTF-8 as U+FFFD. */
    @Override
    public String decode(int[] ids) {
        byte[] bytes = decodeBytes(ids);
        return Utf8.decode(bytes, 0, bytes.length);
    }

    /** A decoder for a stream of ids, holding bytes until their character completes. */
    @Override
    public IncrementalDecoder decoder() {
        return new IncrementalDecoder(id -> {
            checkId(id);
            return tokens[id];
        });
    }

    /** Characters that begin in this token (UTF-8 lead bytes); BOS counts one, the end of a document. */
    @Override
    public int characters(int id) {
        checkId(id);
        return characters[id];
    }

    /** {@value #KIND}. */
    @Override
    public String kind() {
        return KIND;
    }

    /** The {@code tokenizer.json} text: {@link #toJson()}. */
    @Override
    public String serialized() {
        return toJson();
    }

    boolean bosInModel() {
        return bosInModel;
    }

    MergeTable merges() {
        return merges;
    }

    byte[] bytesOf(int id) {
        return tokens[id];
    }

    private void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new MicrogptException("token id " + id + " is not in the vocabulary (0.." + (tokens.length - 1) + ")");
        }
    }

    /** One encode call's scratch space and output. */
    private final class Encoder {
        final IntList out;
        final WordMerger merger = new WordMerger(merges);
        byte[] bytes = new byte[256];
        int[] word = new int[256];

        Encoder(int textLength) {
            out = new IntList(textLength / 3 + 16);
        }

        /** Encodes {@code text[from, to)}, which holds no BOS text. */
        void stretch(String text, int from, int to) {
            if (!splitWords) {
                if (from < to) word(text, from, to);
                return;
            }
            for (int i = from; i < to; ) {
                int j = Gpt2Pattern.pieceEnd(text, i, to);
                word(text, i, j);
                i = j;
            }
        }

        private void word(String text, int from, int to) {
            int max = 3 * (to - from);
            if (bytes.length < max) {
                bytes = new byte[max];
                word = new int[max];
            }
            int n = Utf8.encode(text, from, to, bytes);
            for (int k = 0; k < n; k++) word[k] = byteToken[bytes[k] & 0xFF];
            n = merger.merge(word, n);
            out.addAll(word, 0, n);
        }
    }
}
