package io.microgpt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgpt.core.Backends;
import io.microgpt.core.spi.Backend;
import org.junit.jupiter.api.Test;

class BackendDescriptionTest {

    @Test
    void aBackendPrintsAsItsNamePrecisionBatchAndDescription() {
        Backend scalar = Backends.byName("scalar");
        assertEquals("scalar (F64, batch 1, the reference): " + scalar.description(), scalar.toString());
        for (Backend b : Backends.available()) {   // scalar, and simd where the JVM has the Vector API
            assertTrue(b.toString().startsWith(b.name() + " (" + b.precision() + ", batch " + b.defaultBatchSize()), b.toString());
        }
    }
}
