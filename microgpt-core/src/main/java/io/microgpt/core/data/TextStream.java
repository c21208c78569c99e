package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.Text;
import io.microgpt.core.files.InputFiles;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Gpt2Pattern;
import io.microgpt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A whole text as one stream of tokens (the {@code stream} layout): every Unicode code point of the file,
 * newlines and all other whitespace included, in file order (a leading byte order mark is dropped). As loaded,
 * the vocabulary is the text's sorted distinct code points; the tokenizer's BOS id exists (so that models and
 * checkpoints have one shape for both layouts) but never occurs in a stream. {@link #withTokenizer} gives the
 * same text under another tokenizer (a byte-level BPE), its training and validation parts encoded apart.
 *
 * <p>The tokens are held in one compact array, a byte per token when the vocabulary has at most 256 ids and a
 * char per token otherwise; loading reads the file twice (vocabulary, then ids) through a memory map, so its
 * cost is linear in the file's size and the heap holds only the token array.
 *
 * <p>The {@link DataLayout#STREAM stream} layout's {@link TrainingData}: a run trains on windows of it at random
 * offsets ({@link StreamWindows}). Immutable and thread-safe.
 */
public final class TextStream implements TrainingData {
    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE;

    private final String source;
    private final Tokenizer tokenizer;
    private final byte[] byteTokens;
    private final char[] charTokens;
    private final int length;
    private final String sha256;
    private final int characters;
    /** For a stream encoded by {@link #withTokenizer}: the validation fraction it was split for, and its training tokens. */
    private final double splitFraction;
    private final int splitTokens;

    private TextStream(String source, Tokenizer tokenizer, byte[] byteTokens, char[] charTokens, int length, String sha256) {
        this(source, tokenizer, byteTokens, charTokens, length, sha256, length, Double.NaN, -1);
    }

    private TextStream(String source, Tokenizer tokenizer, byte[] byteTokens, char[] charTokens, int length, String sha256,
                       int characters, double splitFraction, int splitTokens) {
        this.source = source;
        this.tokenizer = tokenizer;
        this.byteTokens = byteTokens;
        this.charTokens = charTokens;
        this.length = length;
        this.sha256 = sha256;
        this.characters = characters;
        this.splitFraction = splitFraction;
        this.splitTokens = splitTokens;
    }

    /**
     * Reads a UTF-8 file (a regular file, see {@link InputFiles}) as one stream; a decoding error names the line
     * and the byte offset.
     */
    public static TextStream load(Path file) {
        try (FileChannel channel = InputFiles.open(file, "dataset")) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                throw new MicrogptException(String.format(Locale.ROOT, "dataset %s has %,d bytes; a stream can be at most %,d bytes",
                        Text.shown(file), size, MAX_FILE_BYTES));
            }
            MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return decode(file.toString(), bytes);
        } catch (IOException e) {
            throw new MicrogptException("dataset " + Text.shown(file) + " cannot be read: " + Text.reason(e), e);
        }
    }

    /** A stream of a text already in memory ({@code source} names it in messages and checkpoints). */
    public static TextStream of(String source, String text) {
        return decode(source, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static TextStream decode(String source, ByteBuffer bytes) {
        int start = hasByteOrderMark(bytes) ? 3 : 0;
        // Pass 1: check the UTF-8, collect the distinct code points, count them, digest the bytes.
        BitSet seen = new BitSet();
        Utf8Reader reader = new Utf8Reader(source, bytes, start);
        int count = 0;
        for (int cp = reader.next(); cp >= 0; cp = reader.next()) {
            seen.set(cp);
            if (++count == Integer.MAX_VALUE) throw new MicrogptException(source + " has too many characters for one stream");
        }
        if (count == 0) throw new MicrogptException(source + " is empty: a stream needs at least one character");
        int[] sorted = seen.stream().toArray();
        int vocabSize = sorted.length + 1;
        if (vocabSize > CharTokenizer.MAX_VOCAB_SIZE) {
            throw new MicrogptException(String.format(Locale.ROOT,
                    "%s has %,d distinct characters, more than the %,d a character-level vocabulary allows",
                    source, sorted.length, CharTokenizer.MAX_VOCAB_SIZE - 1));
        }
        CharTokenizer tokenizer = CharTokenizer.ofSymbols(new String(sorted, 0, sorted.length));
        int[] idOf = new int[sorted[sorted.length - 1] + 1];
        for (int id = 0; id < sorted.length; id++) idOf[sorted[id]] = id;
        // Pass 2: the ids, into the smallest array that holds them.
        byte[] asBytes = vocabSize <= 256 ? new byte[count] : null;
        char[] asChars = asBytes == null ? new char[count] : null;
        reader = new Utf8Reader(source, bytes, start);
        for (int i = 0; i < count; i++) {
            int id = idOf[reader.next()];
            if (asBytes != null) asBytes[i] = (byte) id;
            else asChars[i] = (char) id;
        }
        return new TextStream(source, tokenizer, asBytes, asChars, count, digest(bytes));
    }

    private static boolean hasByteOrderMark(ByteBuffer b) {
        return b.limit() >= 3 && b.get(0) == (byte) 0xEF && b.get(1) == (byte) 0xBB && b.get(2) == (byte) 0xBF;
    }

    private static String digest(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.duplicate().position(0));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@link DataLayout#STREAM}. */
    @Override
    public DataLayout layout() {
        return DataLayout.STREAM;
    }

    /** Where the text came from. */
    @Override
    public String source() {
        return source;
    }

    /** The vocabulary: as loaded, the text's distinct code points, sorted (plus the unused BOS id). */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Tokens in the stream (as loaded: its code points). */
    public int length() {
        return length;
    }

    /** The text's characters (code points), whatever the tokenizer: the stream's size as checkpoints record it. */
    @Override
    public int size() {
        return characters;
    }

    /** SHA-256 of the file's bytes, as hex: the stream's identity in checkpoints. */
    @Override
    public String sha256() {
        return sha256;
    }

    /**
     * Tokens in the training part when {@code validationFraction} of the stream validates: as nanoGPT,
     * {@code int(n * (1 - f))} of a character stream's {@code n}; for a stream {@link #withTokenizer encoded}
     * for a fraction, the tokens of its first {@code int(n * (1 - f))} characters.
     */
    public int trainingLength(double validationFraction) {
        if (splitTokens < 0) return (int) (length * (1 - validationFraction));
        if (validationFraction != splitFraction) {
            throw new MicrogptException("this stream was encoded for validation fraction " + splitFraction + ", not "
                    + validationFraction);
        }
        return splitTokens;
    }

    /** The text, decoded from the tokens (for a stream as loaded: the file's text, without a byte order mark). */
    public String text() {
        int[] ids = new int[length];
        copy(0, ids);
        return tokenizer.decode(ids);
    }

    /**
     * The training part of the text (its first {@code int(n * (1 - validationFraction))} characters) in pieces that
     * end after a line break followed by a non-space: GPT-2's pattern never joins across such a place, so the
     * pieces split into the same words as the whole; without the pattern, a piece is a word.
     */
    @Override
    public List<String> trainingTexts(BigInteger seed, double validationFraction) {
        String text = text();
        return Gpt2Pattern.lineChunks(text, 0, splitIndex(text, validationFraction));
    }

    /**
     * The same text under another tokenizer, for runs holding out {@code validationFraction}: the training and
     * validation parts (split at character {@code int(n * (1 - f))}) encoded apart, in the pieces of
     * {@link #trainingTexts}, so that no token spans the split. This stream if the tokenizer is its own.
     */
    @Override
    public TextStream withTokenizer(Tokenizer other, double validationFraction) {
        if (other.kind().equals(tokenizer.kind()) && other.serialized().equals(tokenizer.serialized())) return this;
        String text = text();
        int split = splitIndex(text, validationFraction);
        int vocabSize = other.vocabSize();
        if (vocabSize > 65_536) throw new MicrogptException("a stream holds token ids below 65,536; this vocabulary has " + vocabSize);
        TokenBuffer buffer = new TokenBuffer(vocabSize <= 256, text.length() / 2 + 16);
        for (String piece : Gpt2Pattern.lineChunks(text, 0, split)) buffer.add(other.encode(piece));
        int trainingTokens = buffer.size;
        for (String piece : Gpt2Pattern.lineChunks(text, split, text.length())) buffer.add(other.encode(piece));
        return new TextStream(source, other, buffer.bytes(), buffer.chars(), buffer.size, sha256, characters,
                validationFraction, trainingTokens);
    }

    /** The UTF-16 index of character {@code int(n * (1 - f))}. */
    private int splitIndex(String text, double validationFraction) {
        return text.offsetByCodePoints(0, (int) (characters * (1 - validationFraction)));
    }

    /** Token ids into the smaller array that holds them: bytes while the vocabulary allows, else chars. */
    private static final class TokenBuffer {
        private byte[] asBytes;
        private char[] asChars;
        int size;

        TokenBuffer(boolean bytes, int capacity) {
            if (bytes) asBytes = new byte[capacity];
            else asChars = new char[capacity];
        }

        void add(int[] ids) {
            int capacity = asBytes != null ? asBytes.length : asChars.length;
            if (size + ids.length > capacity) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) capacity * 3 / 2, (long) size + ids.length));
                if (asBytes != null) asBytes = Arrays.copyOf(asBytes, grown);
                else asChars = Arrays.copyOf(asChars, grown);
            }
            for (int id : ids) {
                if (asBytes != null) asBytes[size++] = (byte) id;
                else asChars[size++] = (char) id;
            }
        }

        byte[] bytes() {
            return asBytes == null ? null : Arrays.copyOf(asBytes, size);
        }

        char[] chars() {
            return asChars == null ? null : Arrays.copyOf(asChars, size);
        }
    }

    /** One window of {@code blockSize + 1} tokens. */
    @Override
    public int[] sampleLengths(int blockSize) {
        return new int[] {blockSize + 1};
    }

    /** Splits the stream into its training and validation parts; draws nothing. */
    @Override
    public Samples samples(PyRandom rng, int blockSize, double validationFraction) {
        return new StreamWindows(this, blockSize, validationFraction);
    }

    /** Token {@code i}. */
    public int token(int i) {
        if (i < 0 || i >= length) throw new IndexOutOfBoundsException("token " + i + " of a stream of " + length);
        return byteTokens != null ? byteTokens[i] & 0xFF : charTokens[i];
    }

    /** Copies tokens {@code [from, from + into.length)} into {@code into}. */
    public void copy(int from, int[] into) {
        if (from < 0 || (long) from + into.length > length) {
            throw new IndexOutOfBoundsException("tokens " + from + ".." + ((long) from + into.length) + " of a stream of " + length);
        }
        if (byteTokens != null) {
            for (int i = 0; i < into.length; i++) into[i] = byteTokens[from + i] & 0xFF;
        } else {
            for (int i = 0; i < into.length; i++) into[i] = charTokens[from + i];
        }
    }

    /** Bytes the token array takes. */
    public long tokenBytes() {
        return byteTokens != null ? byteTokens.length : 2L * charTokens.length;
    }

    /**
     * A strict UTF-8 decoder over a buffer, one code point at a time, that knows where it is: the first malformed
     * sequence (bad lead or continuation byte, overlong form, surrogate, beyond U+10FFFF, cut off at the end) is
     * a {@link MicrogptException} naming the line (1-based) and the byte offset (0-based, from the file's start).
     */
    private static final class Utf8Reader {
        private final String source;
        private final ByteBuffer bytes;
        private final int limit;
        private int position;
        private int line = 1;

        Utf8Reader(String source, ByteBuffer bytes, int start) {
            this.source = source;
            this.bytes = bytes;
            this.limit = bytes.limit();
            this.position = start;
        }

        /** The next code point, or -1 at the end. */
        int next() {
            if (position >= limit) return -1;
            int at = position;
            int b0 = bytes.get(position++) & 0xFF;
            if (b0 < 0x80) {
                if (b0 == '\n') line++;
                return b0;
            }
            int extra;
            int cp;
            int min;
            if (b0 >= 0xC2 && b0 <= 0xDF) { extra = 1; cp = b0 & 0x1F; min = 0x80; }
            else if (b0 >= 0xE0 && b0 <= 0xEF) { extra = 2; cp = b0 & 0x0F; min = 0x800; }
            else if (b0 >= 0xF0 && b0 <= 0xF4) { extra = 3; cp = b0 & 0x07; min = 0x10000; }
            else throw invalid(at);
            for (int k = 0; k < extra; k++) {
                if (position >= limit) throw invalid(at);
                int b = bytes.get(position++) & 0xFF;
                if ((b & 0xC0) != 0x80) throw invalid(at);
                cp = (cp << 6) | (b & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw invalid(at);
            return cp;
        }

        private MicrogptException invalid(int offset) {
            return new MicrogptException(source + " is not valid UTF-8 (line " + line + ", byte offset " + offset + ")");
        }
    }
}
