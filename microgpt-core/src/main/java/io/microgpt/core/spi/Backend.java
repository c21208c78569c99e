package io.microgpt.core.spi;

import io.microgpt.core.ModelConfig;
import java.util.Optional;

/**
 * A way to compute the model: a factory of {@link Engine}s, found by name through {@link java.util.ServiceLoader}
 * (see {@code io.microgpt.core.Backends}), so that adding a backend module to the class path is all it takes.
 *
 * <p>Implementations must be thread-safe (one instance may serve several runs on several threads); the engines
 * they open are not.
 */
public interface Backend {

    /** The name users choose it by, e.g. {@code scalar}. */
    String name();

    /** One line on what it is. */
    String description();

    /** The batch size this backend trains at unless told otherwise. */
    int defaultBatchSize();

    /** The precision it computes in, which is also the element type of the checkpoints it saves. */
    DType precision();

    /**
     * Whether this is the reference: the exact backend the others are checked against, the default when none is
     * chosen (see {@code Backends.reference()}). At most one backend on the class path says so.
     */
    default boolean isReference() {
        return false;
    }

    /** Empty when it can run in this JVM; otherwise why not and what to do. */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * What an engine of this backend holds to train a batch of {@code batchSize} documents of {@code positions}
     * positions each, beyond the f64 weights, gradient and moments core counts for every
     * backend: an estimate at or above the real size, computed without allocating; null when it does not say.
     */
    default MemoryPart trainingMemory(ModelConfig config, int batchSize, int positions) {
        return null;
    }

    /** What one sampling stream ({@link Engine#openStream}) of this backend holds, estimated likewise; null when it does not say. */
    default MemoryPart samplingMemory(ModelConfig config) {
        return null;
    }

    /** Opens an engine that starts from a copy of these weights and zero optimizer state. */
    Engine open(Parameters initial, EngineOptions options);

    /** {@link #open(Parameters, EngineOptions)} with default options. */
    default Engine open(Parameters initial) {
        return open(initial, EngineOptions.defaults());
    }
}
