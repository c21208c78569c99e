package io.microgpt.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class of every code point as the GPT-2 pattern sees it: letter ({@code \p{L}}), number ({@code \p{N}}),
 * whitespace ({@code \s}) or other. Read from a table of Unicode 16 (the resource {@code gpt2-classes.txt}, the
 * classes tokenizers 0.23.2 applies) rather than from {@link Character}, so that a text splits the same way on
 * every JDK (Java 17 knows Unicode 13 only). Lookup is two array reads: the code point's 256-wide block, then its
 * place in the block. Immutable after class initialisation; thread-safe.
 */
final class CharacterClasses {
    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte SPACE = 3;

    private static final int BLOCK_BITS = 8;
    private static final int BLOCK = 1 << BLOCK_BITS;
    private static final int BLOCKS = (Character.MAX_CODE_POINT + 1) >> BLOCK_BITS;

    /** For each block of 256 code points, the offset of its classes in {@link #CLASSES}. */
    private static final int[] BLOCK_START = new int[BLOCKS];
    /** The distinct blocks' classes, 256 each. */
    private static final byte[] CLASSES;
    /** The classes of code points 0..127, the hot path. */
    private static final byte[] ASCII = new byte[128];

    static {
        byte[] all = readTable();
        Map<String, Integer> distinct = new HashMap<>();
        List<byte[]> blocks = new ArrayList<>();
        for (int b = 0; b < BLOCKS; b++) {
            byte[] block = Arrays.copyOfRange(all, b * BLOCK, (b + 1) * BLOCK);
            String key = new String(block, StandardCharsets.ISO_8859_1);
            Integer index = distinct.get(key);
            if (index == null) {
                index = blocks.size();
                distinct.put(key, index);
                blocks.add(block);
            }
            BLOCK_START[b] = index * BLOCK;
        }
        CLASSES = new byte[blocks.size() * BLOCK];
        for (int i = 0; i < blocks.size(); i++) System.arraycopy(blocks.get(i), 0, CLASSES, i * BLOCK, BLOCK);
        System.arraycopy(all, 0, ASCII, 0, 128);
    }

    private CharacterClasses() {
    }

    /** The class of a code point (0..{@link Character#MAX_CODE_POINT}). */
    static byte of(int codePoint) {
        if (codePoint < 128) return ASCII[codePoint];
        return CLASSES[BLOCK_START[codePoint >>> BLOCK_BITS] + (codePoint & (BLOCK - 1))];
    }

    private static byte[] readTable() {
        byte[] all = new byte[Character.MAX_CODE_POINT + 1];
        try (InputStream in = CharacterClasses.class.getResourceAsStream("gpt2-classes.txt")) {
            if (in == null) throw new IllegalStateException("resource gpt2-classes.txt is missing from the jar");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            int previous = -1;
            byte previousClass = OTHER;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int space = line.indexOf(' ');
                int start = Integer.parseInt(line, 0, space, 16);
                if (previous >= 0) Arrays.fill(all, previous, start, previousClass);
                previous = start;
                previousClass = switch (line.charAt(space + 1)) {
                    case 'L' -> LETTER;
                    case 'N' -> NUMBER;
                    case 'W' -> SPACE;
                    default -> OTHER;
                };
            }
            Arrays.fill(all, previous, all.length, previousClass);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
