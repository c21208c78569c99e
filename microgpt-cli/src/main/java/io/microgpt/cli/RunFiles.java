package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.OutputFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one command reads and writes, checked against each other before anything is written: no output
 * may be the same file as an input (so {@code --metrics} cannot truncate the checkpoint being resumed, nor
 * {@code --save} replace the dataset) or as another output. Files are compared as files (device and inode,
 * see {@link OutputFile#same}), so {@code ./x}, {@code x} and links to it all count.
 */
final class RunFiles {
    private record Named(String role, Path path) {
        String describe() {
            return role + " " + Text.shown(path);
        }
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** A file the command reads ({@code role} names it for the user: a flag, or what it is). */
    RunFiles input(String role, Path path) {
        if (path != null) inputs.add(new Named(role, path));
        return this;
    }

    /** A file the command writes. */
    RunFiles output(String role, Path path) {
        if (path != null) outputs.add(new Named(role, path));
        return this;
    }

    /** Throws a {@link MicrogptException} naming the first output that is an input or another output. */
    void check() {
        for (int i = 0; i < outputs.size(); i++) {
            Named out = outputs.get(i);
            for (Named in : inputs) {
                if (OutputFile.same(out.path(), in.path())) {
                    throw new MicrogptException(out.describe() + " is the same file as " + in.describe()
                            + ": writing it would destroy what the run reads; choose another file name");
                }
            }
            for (int j = 0; j < i; j++) {
                Named other = outputs.get(j);
                if (OutputFile.same(out.path(), other.path())) {
                    throw new MicrogptException(out.describe() + " is the same file as " + other.describe()
                            + ": each output needs its own file");
                }
            }
        }
    }
}
