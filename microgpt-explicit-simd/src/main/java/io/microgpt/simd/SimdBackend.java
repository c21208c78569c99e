package io.microgpt.simd;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.MemoryPart;
import io.microgpt.core.spi.Parameters;
import java.util.Optional;

/**
 * {@code simd}: the whole training step written out by hand (forward, loss, backward, Adam) in f32 on the
 * Vector API, over batches of documents (16 by default).
 *
 * <p>This class names no Vector API type, so it loads (and can say what is missing) in a JVM started without
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Thread-safe (it keeps no state): engines may be opened from any thread; each engine is used by one thread at a
 * time (it runs its own worker threads inside a call).
 */
public final class SimdBackend implements Backend {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Creates the backend (also found by {@link java.util.ServiceLoader}). */
    public SimdBackend() {
        // stateless
    }

    /** {@link io.microgpt.core.Backends#describe}: name, precision, batch and what it is. */
    @Override
    public String toString() {
        return io.microgpt.core.Backends.describe(this);
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    public String description() {
        return "hand-derived forward and backward in f32 on the Vector API, batches of documents";
    }

    @Override
    public int defaultBatchSize() {
        return 16;
    }

    @Override
    public DType precision() {
        return DType.F32;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) return Optional.empty();
        return Optional.of("the Java Vector API is not enabled; start Java with --add-modules " + VECTOR_MODULE
                + " (the ./microgpt launcher does)");
    }

    @Override
    public MemoryPart trainingMemory(ModelConfig config, int batchSize, int positions) {
        return SimdFootprint.training(config, batchSize);
    }

    @Override
    public MemoryPart samplingMemory(ModelConfig config) {
        return SimdFootprint.sampling(config);
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        unavailableReason().ifPresent(why -> {
            throw new MicrogptException("backend 'simd' cannot run here: " + why);
        });
        return new SimdEngine(initial, options);
    }
}
