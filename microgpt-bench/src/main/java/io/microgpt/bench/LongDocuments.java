package io.microgpt.bench;

import io.microgpt.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A long-document dataset made from short ones, standing in for a text stream: consecutive documents (in file
 * order) joined by single spaces until a line holds at least {@code minChars} characters; a shorter remainder
 * at the end is dropped. From the bundled names at {@value #MIN_CHARS} characters: 749 lines, each filling a
 * block of 256 positions. {@code docs/bench/pytorch/side_by_side.py} writes the same lines to a file.
 */
final class LongDocuments {
    /** Characters per line: more than the largest block measured (256), so that every position is trained. */
    static final int MIN_CHARS = 300;

    private LongDocuments() {
    }

    /** The joined dataset. */
    static Dataset of(Dataset source, int minChars) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String doc : source.documents()) {
            if (line.length() > 0) line.append(' ');
            line.append(doc);
            if (line.length() >= minChars) {
                lines.add(line.toString());
                line.setLength(0);
            }
        }
        return Dataset.of(source.source() + " joined into lines of at least " + minChars + " characters", lines);
    }
}
