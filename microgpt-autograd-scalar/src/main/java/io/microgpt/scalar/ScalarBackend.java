package io.microgpt.scalar;

import io.microgpt.core.ModelConfig;
import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.MemoryPart;
import io.microgpt.core.spi.Parameters;

/**
 * {@code scalar}: the reference algorithm on a double-precision autograd tape; exact, batch 1 by default.
 *
 * <p>Thread-safe (it keeps no state): engines may be opened from any thread; each engine is used by one thread at a
 * time.
 */
public final class ScalarBackend implements Backend {

    /** Creates the backend (also found by {@link java.util.ServiceLoader}). */
    public ScalarBackend() {
        // stateless
    }

    /** {@link io.microgpt.core.Backends#describe}: name, precision, batch and what it is. */
    @Override
    public String toString() {
        return io.microgpt.core.Backends.describe(this);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String description() {
        return "scalar autograd tape in f64, operation for operation as microgpt.py";
    }

    @Override
    public int defaultBatchSize() {
        return 1;
    }

    @Override
    public MemoryPart trainingMemory(ModelConfig config, int batchSize, int positions) {
        return TapeFootprint.training(config, batchSize, positions);
    }

    @Override
    public MemoryPart samplingMemory(ModelConfig config) {
        return TapeFootprint.sampling(config);
    }

    @Override
    public DType precision() {
        return DType.F64;
    }

    /** The reference: every other backend is checked against this one. */
    @Override
    public boolean isReference() {
        return true;
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        return new ScalarEngine(initial);   // the engine copies the weights into its tape's leaves
    }
}
