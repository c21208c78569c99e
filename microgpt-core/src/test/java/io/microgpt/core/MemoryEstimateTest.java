package io.microgpt.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.DType;
import io.microgpt.core.spi.Engine;
import io.microgpt.core.spi.EngineOptions;
import io.microgpt.core.spi.MemoryPart;
import io.microgpt.core.spi.Parameters;
import org.junit.jupiter.api.Test;

/** Sizes in saturating long arithmetic, and refusals that say what is needed, what is allowed and what to lower. */
class MemoryEstimateTest {
    private static final ModelConfig REFERENCE = ModelConfig.reference(27);

    private static Backend backend(MemoryPart training, MemoryPart sampling) {
        return new Backend() {
            @Override public String name() { return "fixed"; }
            @Override public String description() { return "says fixed sizes"; }
            @Override public int defaultBatchSize() { return 1; }
            @Override public DType precision() { return DType.F64; }
            @Override public Engine open(Parameters initial, EngineOptions options) { throw new AssertionError("not opened"); }
            @Override public MemoryPart trainingMemory(ModelConfig c, int batch, int positions) { return training; }
            @Override public MemoryPart samplingMemory(ModelConfig c) { return sampling; }
        };
    }

    @Test
    void arithmeticSaturatesInsteadOfOverflowing() {
        assertEquals(6, MemoryEstimate.times(1, 2, 3));
        assertEquals(0, MemoryEstimate.times(Long.MAX_VALUE, 0));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.times(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.plus(Long.MAX_VALUE - 1, 5));
        assertEquals(4_192, MemoryEstimate.parameters(REFERENCE), "the reference model");
    }

    @Test
    void aRunCountsWeightsTokensAndTheBackendsParts() {
        Backend b = backend(new MemoryPart("buffers", 1_000, 10, "lower --batch"), new MemoryPart("stream", 500, 5, "lower --block-size"));
        MemoryEstimate e = MemoryEstimate.training(b, REFERENCE, 1, new int[] {6, 4});
        // 4,192 x 32 bytes of weights, gradients and moments; (24 + 4 x 6) + (24 + 4 x 4) bytes of tokens
        assertEquals(134_144 + 88 + 1_000 + 500, e.bytes());
        assertDoesNotThrow(() -> e.check(e.bytes()));
        MicrogptException refused = assertThrows(MicrogptException.class, () -> e.check(e.bytes() - 1));
        assertEquals("the run needs about 136 kB (134 kB of it for the weights, gradients and Adam state of 4,192 parameters),"
                + " more than the 136 kB this JVM's heap allows: lower --n-embd or --n-layer, or raise the heap"
                + " (CLI: MICROGPT_JAVA_OPTS=-Xmx...)", refused.getMessage());
    }

    @Test
    void anArrayLargerThanJavaAllowsIsRefusedWhateverTheHeap() {
        Backend b = backend(new MemoryPart("attention scores", 8L << 32, 2L << 32, "lower --block-size"), null);
        MicrogptException e = assertThrows(MicrogptException.class,
                () -> MemoryEstimate.training(b, REFERENCE, 1, new int[] {5}).check(Long.MAX_VALUE));
        assertEquals("the run would need an array of 8,589,934,592 elements for its attention scores, more than the"
                + " 2,147,483,639 a Java array holds: lower --block-size", e.getMessage());
    }

    @Test
    void samplingAFileNamesTheBackendAsWhatCanChange() {
        Backend b = backend(new MemoryPart("tape", 10_000_000, 10, "lower --batch"), null);
        MicrogptException e = assertThrows(MicrogptException.class, () -> MemoryEstimate.sampling(b, REFERENCE).check(1_000_000));
        assertEquals("sampling needs about 10.1 MB (10.0 MB of it for the engine's working set as opened (tape)), more than the"
                + " 1.0 MB this JVM's heap allows: try another --backend, or raise the heap (CLI: MICROGPT_JAVA_OPTS=-Xmx...)",
                e.getMessage());
    }
}
