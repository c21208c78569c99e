package io.microgpt.cli;

/**
 * A command whose flags can be checked on their own, as running it would check them, without running it: what
 * {@code sweep} asks of {@code train} for every run of a plan before the first one starts.
 */
public interface FlagCheck {
    /**
     * Throws a {@link io.microgpt.core.MicrogptException} naming the first flag that is wrong or does not go with
     * the others, as running the command would; reads no file. Called once, on a freshly parsed command.
     */
    void checkFlags();
}
