package io.microgpt.cli;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import io.microgpt.core.files.LiveRuns;
import io.microgpt.core.files.OutputFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one command reads and writes, checked against each other before anything is written: no output
 * may be the same file as an input (so {@code --metrics} cannot truncate the checkpoint being resumed, nor
 * {@code --save} replace the dataset) or as another output. Files are compared as files (device and inode,
 * see {@link OutputFile#same}), so {@code ./x}, {@code x} and links to it all count. {@link #register} then
 * checks them against every other live run's and registers them for the command's life ({@link LiveRuns}).
 */
final class RunFiles {
    private record Named(String role, Path path) {
        String describe() {
            return role + " " + Text.shown(path);
        }
    }

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();
    private final List<Named> rewritten = new ArrayList<>();

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

    /**
     * An input the command also writes, as a resumed run saves back to {@code --resume}: not a clash within the
     * command, but a written file to every other run.
     */
    RunFiles rewritten(String role, Path path) {
        if (path != null) rewritten.add(new Named(role, path));
        return this;
    }

    /**
     * Checks that no file this command writes is one another live microgpt run reads or writes, and registers
     * this command's files until the registration is closed; a {@link MicrogptException} naming the other run
     * otherwise, before anything is written.
     */
    LiveRuns.Registration register() {
        List<LiveRuns.UsedFile> files = new ArrayList<>();
        for (Named in : inputs) files.add(new LiveRuns.UsedFile(in.role(), in.path(), LiveRuns.Use.READS));
        for (Named out : outputs) files.add(new LiveRuns.UsedFile(out.role(), out.path(), LiveRuns.Use.WRITES));
        for (Named both : rewritten) files.add(new LiveRuns.UsedFile(both.role(), both.path(), LiveRuns.Use.WRITES));
        return LiveRuns.register(files);
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
