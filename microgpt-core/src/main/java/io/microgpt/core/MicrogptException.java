package io.microgpt.core;

/**
 * The one exception type the library throws for bad input: a configuration, a dataset, a checkpoint or a
 * backend that cannot be used. Its message is a sentence that says what was wrong and what to do.
 *
 * <p>Safe to hand between threads, as any exception once thrown.
 */
public class MicrogptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong and, where it helps, what to do about it */
    public MicrogptException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and, where it helps, what to do about it
     * @param cause   the underlying failure
     */
    public MicrogptException(String message, Throwable cause) {
        super(message, cause);
    }
}
