package io.microgpt.core.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The tokenizer fixtures (made by docs/bench/tokenizer/make_fixtures.py with Python tokenizers) and bundled texts. */
final class Fixtures {
    private Fixtures() {
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ids(String name) {
        String line = resource(name).strip();
        return line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    static BpeTokenizer tokenizer(String name) {
        return BpeTokenizer.fromJson(resource(name), name);
    }

    static String mixed() {
        return resource("mixed.txt");
    }

    /** A text of the repository's examples directory. */
    static String example(String name) {
        try {
            return Files.readString(Path.of("../examples", name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String bundledNames() {
        try (InputStream in = io.microgpt.core.data.Dataset.class.getResourceAsStream("names.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a text, each with its line break (as Python's splitlines(keepends=True) for \n and \r\n). */
    static java.util.List<String> linesKeepingBreaks(String text) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }
}
