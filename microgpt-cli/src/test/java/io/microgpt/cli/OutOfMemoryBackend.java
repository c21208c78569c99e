package io.microgpt.cli;

import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import io.microgpt.core.SafetensorsFile;
import java.util.Optional;

/**
 * A test-only backend whose engine cannot be opened: {@link #open} throws the {@link OutOfMemoryError} that a
 * size the estimates did not foresee would give, without filling any memory. Registered through this module's
 * test {@code META-INF/services}; available only while the system property {@value #ENABLE} is {@code true}.
 */
public final class OutOfMemoryBackend implements Backend {
    static final String ENABLE = "microgpt.test.outOfMemory";
    static final String NAME = "out-of-memory";

    /** For the ServiceLoader. */
    public OutOfMemoryBackend() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test fixture: throws OutOfMemoryError when opened";
    }

    @Override
    public int defaultBatchSize() {
        return 1;
    }

    @Override
    public SafetensorsFile.DType precision() {
        return SafetensorsFile.DType.F64;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Boolean.getBoolean(ENABLE) ? Optional.empty() : Optional.of("test fixture, enabled by -D" + ENABLE + "=true");
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        throw new OutOfMemoryError("Java heap space (simulated)");
    }
}
