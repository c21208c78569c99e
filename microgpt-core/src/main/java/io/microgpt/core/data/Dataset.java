package io.microgpt.core.data;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.PyRandom;
import io.microgpt.core.Text;
import io.microgpt.core.files.InputFiles;
import io.microgpt.core.tokenizer.CharTokenizer;
import io.microgpt.core.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A list of documents, one per line of UTF-8 text: each line stripped of surrounding whitespace, blank lines
 * dropped, as the reference reads its {@code input.txt}. The {@link DataLayout#LINES lines} layout's
 * {@link TrainingData}: its vocabulary is the documents' characters ({@link CharTokenizer}), and a run trains on
 * the documents in shuffled order. Immutable and thread-safe.
 */
public final class Dataset implements TrainingData {
    private static final String BUNDLED_NAMES = "names.txt";
    /** The {@link #source()} of {@link #bundledNames()}, as checkpoints record it. */
    public static final String BUNDLED_SOURCE = "bundled names";
    /**
     * Heap bytes a dataset holds per byte of its file, at most: the bytes while decoding (1), the documents as
     * strings (up to 2 per character), the run's shuffled copy of the list, and the token arrays (4 per
     * character, plus an array header per document). Used to refuse a file before reading it.
     */
    static final long BYTES_PER_FILE_BYTE = 12;
    /** Files over this are not read (one Java array holds the bytes). */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private final String source;
    private final List<String> documents;
    private final Tokenizer tokenizer;
    /** Each document's length in tokens, BOS included, for a tokenizer other than the characters; else null. */
    private final int[] encodedLengths;

    private Dataset(String source, List<String> documents) {
        if (documents.isEmpty()) {
            throw new MicrogptException(Text.shown(source) + " has no non-blank line: a dataset needs at least one document");
        }
        this.source = source;
        this.documents = Collections.unmodifiableList(documents);
        this.tokenizer = CharTokenizer.fromDocuments(documents);
        this.encodedLengths = null;
    }

    private Dataset(Dataset characters, Tokenizer tokenizer) {
        this.source = characters.source;
        this.documents = characters.documents;
        this.tokenizer = tokenizer;
        this.encodedLengths = new int[documents.size()];
        for (int i = 0; i < encodedLengths.length; i++) encodedLengths[i] = tokenizer.encodeDocument(documents.get(i)).length;
    }

    /** The bundled dataset: 32,033 names, one per line. */
    public static Dataset bundledNames() {
        try (InputStream in = Dataset.class.getResourceAsStream(BUNDLED_NAMES)) {
            if (in == null) throw new MicrogptException("the bundled names dataset is missing from the class path");
            return parse(BUNDLED_SOURCE, in.readAllBytes());
        } catch (IOException e) {
            throw new MicrogptException("cannot read the bundled names dataset: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a UTF-8 file with one document per line: a regular file only (not a pipe or device), refused before
     * reading when holding it would not fit in this JVM's heap (see {@link #BYTES_PER_FILE_BYTE}).
     */
    public static Dataset load(Path file) {
        long size = InputFiles.checkRegular(file, "dataset");
        long limit = Math.min(MAX_FILE_BYTES, Runtime.getRuntime().maxMemory() / BYTES_PER_FILE_BYTE);
        if (size > limit) {
            throw new MicrogptException("dataset " + Text.shown(file) + " is " + Text.bytes(size) + "; holding it as documents and"
                    + " tokens takes about " + Text.bytes(size * BYTES_PER_FILE_BYTE) + ", more than the " + Text.bytes(Runtime.getRuntime().maxMemory())
                    + " heap allows" + (size > MAX_FILE_BYTES ? " (and files over 2 GB are not read)" : "")
                    + ": use a smaller file, or raise the heap (CLI: MICROGPT_JAVA_OPTS=-Xmx...)");
        }
        return parse(file.toString(), InputFiles.readAll(file, "dataset", limit));
    }

    /** The documents a checkpoint names, reopened by {@link DataLayout#reopen} (the bundled names, or a file). */
    public static Dataset open(DataSource source) {
        return (Dataset) DataLayout.LINES.reopen(source);
    }

    /** A dataset from lines already in memory (stripped, blank ones dropped). */
    public static Dataset of(String source, List<String> lines) {
        List<String> docs = new ArrayList<>();
        for (String line : lines) {
            String doc = strip(line);
            if (!doc.isEmpty()) docs.add(doc);
        }
        return new Dataset(source, docs);
    }

    private static Dataset parse(String source, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        // A byte order mark (as some editors write) stays: Python's open() keeps it as U+FEFF, so the reference's
        // first document starts with it and its vocabulary has that character too.
        int start = 0;
        int lineNumber = 1;
        int i = start;
        while (start < bytes.length) {
            // Universal newlines, as Python's text files: \n, \r\n and a lone \r all end a line.
            while (i < bytes.length && bytes[i] != '\n' && bytes[i] != '\r') i++;
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, i - start)).toString());
            } catch (CharacterCodingException e) {
                throw new MicrogptException(Text.shown(source) + " is not valid UTF-8 (line " + lineNumber + ")");
            }
            if (i < bytes.length && bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') i++;
            i++;
            start = i;
            lineNumber++;
        }
        return of(source, lines);
    }

    /** Python's {@code str.strip()}: removes leading and trailing whitespace (including CR). */
    static String strip(String line) {
        int begin = 0;
        int end = line.length();
        while (begin < end) {
            int cp = line.codePointAt(begin);
            if (!isPythonWhitespace(cp)) break;
            begin += Character.charCount(cp);
        }
        while (end > begin) {
            int cp = line.codePointBefore(end);
            if (!isPythonWhitespace(cp)) break;
            end -= Character.charCount(cp);
        }
        return line.substring(begin, end);
    }

    private static boolean isPythonWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85 || (cp >= 0x1c && cp <= 0x1f);
    }

    /** {@link DataLayout#LINES}. */
    @Override
    public DataLayout layout() {
        return DataLayout.LINES;
    }

    /** Where the documents came from (a path or "bundled names"). */
    @Override
    public String source() {
        return source;
    }

    /** The documents in file order. */
    public List<String> documents() {
        return documents;
    }

    /** Number of documents. */
    @Override
    public int size() {
        return documents.size();
    }

    /**
     * The documents' identity: SHA-256 of the documents in file order, each followed by a newline, in UTF-8,
     * as lowercase hex. Two datasets with the same digest hold the same documents in the same order.
     */
    @Override
    public String sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String doc : documents) {
                digest.update(doc.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The documents in the order {@code rng.shuffle} puts them, as the reference shuffles once after seeding. */
    public List<String> shuffled(PyRandom rng) {
        List<String> copy = new ArrayList<>(documents);
        rng.shuffle(copy);
        return copy;
    }

    /** As loaded, the documents' characters, sorted, plus BOS; else the tokenizer {@link #withTokenizer} gave. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The documents a run with this seed and validation fraction trains on, in file order: the run shuffles them
     * first (the seed's first draw) and holds out the last {@code round(f * n)} of that order.
     */
    @Override
    public List<String> trainingTexts(BigInteger seed, double validationFraction) {
        List<Integer> order = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) order.add(i);
        new PyRandom(seed).shuffle(order);
        int held = ShuffledDocuments.validationCount(documents.size(), validationFraction);
        boolean[] heldOut = new boolean[documents.size()];
        for (int i = order.size() - held; i < order.size(); i++) heldOut[order.get(i)] = true;
        List<String> texts = new ArrayList<>(documents.size() - held);
        for (int i = 0; i < documents.size(); i++) if (!heldOut[i]) texts.add(documents.get(i));
        return texts;
    }

    /** The same documents under another tokenizer (each encoded once here, for {@link #sampleLengths}). */
    @Override
    public Dataset withTokenizer(Tokenizer other, double validationFraction) {
        if (other.kind().equals(tokenizer.kind()) && other.serialized().equals(tokenizer.serialized())) return this;
        return new Dataset(this, other);
    }

    /** Each document's tokens plus its two BOS (as loaded: its characters plus two). */
    @Override
    public int[] sampleLengths(int blockSize) {
        if (encodedLengths != null) return encodedLengths.clone();
        int[] lengths = new int[documents.size()];
        for (int i = 0; i < lengths.length; i++) lengths[i] = documents.get(i).codePointCount(0, documents.get(i).length()) + 2;
        return lengths;
    }

    /** Shuffles the documents with {@code rng} and holds out the last {@code validationFraction} of them. */
    @Override
    public Samples samples(PyRandom rng, int blockSize, double validationFraction) {
        return new ShuffledDocuments(this, rng, validationFraction);
    }
}
