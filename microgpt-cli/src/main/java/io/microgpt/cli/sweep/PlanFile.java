package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.InputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * {@code DIR/plan.json}, the plan a sweep folder belongs to. The first sweep to use a folder writes it; every
 * later one (a resumed sweep, the other tasks of a cluster's array job) must bring the same plan, or is
 * refused with what changed, so that two grids never mix in one folder.
 *
 * <p>Array tasks start together, so the file is created atomically: written completely under a temporary
 * name, then hard-linked to {@code plan.json}, which fails if the name exists (link(2) is atomic on local
 * file systems and on NFS). The loser reads the winner's file and compares. Where hard links are not
 * supported the file is created exclusively ({@code O_EXCL}) instead, and a reader that finds it still empty
 * waits briefly for its content.
 */
final class PlanFile {
    static final String NAME = "plan.json";
    private static final int READ_ATTEMPTS = 50;
    private static final long READ_PAUSE_MILLIS = 100;
    /** The largest plan.json read: far above any plan of --max-runs runs, so that a wrong file is refused. */
    private static final long MAX_BYTES = 64L << 20;

    private PlanFile() {
    }

    /** The plan stored in {@code dir}; a {@link MicrogptException} if there is none. */
    static Plan read(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            throw new MicrogptException(Text.shown(dir) + " holds no sweep (no " + NAME + "): start one with"
                    + " 'microgpt sweep --out DIR [train flags]'");
        }
        return Plan.parse(readText(file), Text.shown(file));
    }

    /**
     * Makes {@code dir} the folder of {@code plan}: creates it and its plan.json, or checks that the plan already
     * there is the same. Returns true if this call created the plan file.
     */
    static boolean claim(Path dir, Plan plan) {
        Path file = dir.resolve(NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MicrogptException("cannot create --out " + Text.shown(dir) + ": " + Text.reason(e), e);
        }
        if (!Files.exists(file) && create(dir, file, plan.json())) return true;
        Plan existing = Plan.parse(readText(file), Text.shown(file));
        List<String> changes = plan.differences(existing, "here", "in " + Text.shown(file));
        if (!changes.isEmpty()) {
            throw new MicrogptException(Text.shown(dir) + " holds another sweep: " + String.join("; ", changes) + ". Use another"
                    + " --out, or finish that sweep with 'microgpt sweep --resume " + Text.shown(dir) + "'");
        }
        return false;
    }

    /** Creates the file with this content unless it exists (then false). */
    private static boolean create(Path dir, Path file, String json) {
        Path temp = dir.resolve("." + NAME + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, json, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            try {
                Files.createLink(file, temp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException | IOException noLinks) {
                return createExclusively(file, json);
            }
        } catch (IOException e) {
            throw new MicrogptException("cannot write " + Text.shown(file) + ": " + Text.reason(e), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    private static boolean createExclusively(Path file, String json) throws IOException {
        try {
            Files.writeString(file, json, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * The file's text, read as every input file is ({@link InputFiles#readText}: a regular file, bounded, UTF-8),
     * waiting briefly while it is still empty (another task creating it without hard links).
     */
    private static String readText(Path file) {
        try {
            for (int attempt = 0; ; attempt++) {
                String text = InputFiles.readText(file, "sweep plan", MAX_BYTES);
                if (!text.isBlank() || attempt >= READ_ATTEMPTS) return text;
                Thread.sleep(READ_PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MicrogptException("interrupted while reading " + Text.shown(file), e);
        }
    }
}
