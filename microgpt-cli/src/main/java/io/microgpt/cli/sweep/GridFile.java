package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid written down: one {@code train} flag a line, as on the command line, its values comma-separated;
 * blank lines and lines starting with {@code #} are skipped. The value is the rest of the line, so a file
 * name may hold spaces:
 * <pre>
 * # width against learning rate, 200 steps each
 * --n-embd 16,32
 * --lr 0.01, 0.003
 * --steps 200
 * --data my texts/names.txt
 * </pre>
 */
final class GridFile {
    /** Larger than any grid a person writes: a guard against pointing {@code --grid} at a dataset. */
    static final long MAX_BYTES = 1 << 20;

    private GridFile() {
    }

    /** The settings of the file, checked as {@code flags} checks command-line flags. */
    static List<Setting> read(Path file, TrainFlags flags) {
        if (InputFiles.checkRegular(file, "--grid") > MAX_BYTES) {
            throw new MicrogptException("--grid " + Text.shown(file) + " is larger than " + Text.bytes(MAX_BYTES)
                    + ": a grid file has one flag a line");
        }
        List<String> lines = InputFiles.readText(file, "--grid", MAX_BYTES).lines().toList();
        List<Setting> settings = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String source = Text.shown(file) + " line " + (n + 1);
            int space = firstSpace(line);
            List<String> words = space < 0 ? List.of(line) : List.of(line.substring(0, space), line.substring(space + 1).strip());
            settings = TrainFlags.join(settings, flags.read(words, source), null);
        }
        return settings;
    }

    private static int firstSpace(String line) {
        for (int i = 0; i < line.length(); i++) if (Character.isWhitespace(line.charAt(i))) return i;
        return -1;
    }
}
