package io.microgpt.core.spi;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Setting;
import java.util.function.Function;

/**
 * How a backend should run, where it has a choice.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param threads worker threads; 0 lets the backend decide (backends without parallelism ignore it)
 */
public record EngineOptions(int threads) {

    /** Rejects a negative thread count. */
    public EngineOptions {
        checkThreads(threads, Setting::described);
    }

    /** Threads 0 (automatic) or more; a {@link MicrogptException} naming them as {@code name} calls them otherwise. */
    public static void checkThreads(int threads, Function<Setting, String> name) {
        if (threads < 0) throw new MicrogptException(name.apply(Setting.THREADS) + " must be 0 (automatic) or positive, got " + threads);
    }

    /** Let the backend decide. */
    public static EngineOptions defaults() {
        return new EngineOptions(0);
    }
}
