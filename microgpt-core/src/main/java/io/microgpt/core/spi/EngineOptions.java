package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;

/**
 * How a backend should run, where it has a choice.
 *
 * @param threads worker threads; 0 lets the backend decide (backends without parallelism ignore it)
 *
 * <p>Immutable, so thread-safe.
 */
public record EngineOptions(int threads) {

    /** Rejects a negative thread count. */
    public EngineOptions {
        if (threads < 0) throw new MicrogptException("threads must be 0 (automatic) or positive, got " + threads);
    }

    /** Let the backend decide. */
    public static EngineOptions defaults() {
        return new EngineOptions(0);
    }
}
