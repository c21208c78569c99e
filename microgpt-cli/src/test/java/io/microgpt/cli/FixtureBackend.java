package io.microgpt.cli;

import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import java.util.Optional;

/**
 * What the CLI's test-only backends share: a name, a description, batch 1, f64 checkpoints, and availability only
 * while their system property is {@code true}, so that other tests see only the real backends. Each subclass is
 * registered through this module's test {@code META-INF/services} and supplies {@link #open}.
 */
abstract class FixtureBackend implements Backend {
    private final String name;
    private final String description;
    private final String enableProperty;

    FixtureBackend(String name, String description, String enableProperty) {
        this.name = name;
        this.description = "test fixture: " + description;
        this.enableProperty = enableProperty;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final int defaultBatchSize() {
        return 1;
    }

    @Override
    public final DType precision() {
        return DType.F64;
    }

    @Override
    public final Optional<String> unavailableReason() {
        return Boolean.getBoolean(enableProperty) ? Optional.empty()
                : Optional.of("test fixture, enabled by -D" + enableProperty + "=true");
    }
}
