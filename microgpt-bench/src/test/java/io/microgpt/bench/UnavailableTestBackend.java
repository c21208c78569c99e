package io.microgpt.bench;

import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.Parameters;
import java.util.Optional;

/** A backend on the test class path that can never run, as the SIMD backend cannot without the Vector API. */
public final class UnavailableTestBackend implements Backend {
    static final String NAME = "unavailable-for-test";
    static final String REASON = "it needs a module this JVM lacks";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a backend whose every use must be refused";
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
        return Optional.of(REASON);
    }

    @Override
    public Engine open(Parameters initial, EngineOptions options) {
        throw new AssertionError("opened a backend that said it cannot run");
    }
}
