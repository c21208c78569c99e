package io.microgpt.core.spi;

/**
 * One part of what a run or a sampler holds on the heap, as a backend estimates it for its engine
 * ({@link Backend#trainingMemory}, {@link Backend#samplingMemory}) and core adds up before allocating anything.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param what         what it is, for the message (e.g. {@code autograd tape for 1 document of 16 positions})
 * @param bytes        its size in bytes (saturated at {@code Long.MAX_VALUE})
 * @param largestArray elements of its largest single array, which must stay within what one Java array holds
 * @param remedy       what makes it smaller, as the user would do it (e.g. {@code lower --batch or --block-size})
 */
public record MemoryPart(String what, long bytes, long largestArray, String remedy) {
}
