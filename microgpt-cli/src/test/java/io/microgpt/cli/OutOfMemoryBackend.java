package io.microgpt.cli;

import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;

/**
 * A test-only backend whose engine cannot be opened: {@link #open} throws the {@link OutOfMemoryError} that a
 * size the estimates did not foresee would give, without filling any memory. Registered through this module's
 * test {@code META-INF/services}; available only while the system property {@value #ENABLE} is {@code true}.
 */
public final class OutOfMemoryBackend extends FixtureBackend {
    static final String ENABLE = "microgpt.test.outOfMemory";
    static final String NAME = "out-of-memory";

    /** For the ServiceLoader. */
    public OutOfMemoryBackend() {
        super(NAME, "throws OutOfMemoryError when opened", ENABLE);
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        throw new OutOfMemoryError("Java heap space (simulated)");
    }
}
