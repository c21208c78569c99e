package io.microgpt.core;

import io.microgpt.core.spi.Backend;
import io.microgpt.core.spi.MemoryPart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a run or a sampler will hold on the heap, estimated before anything is allocated, so that a size that
 * cannot fit is one sentence (what it needs, what the heap allows, which setting to lower) instead of an
 * {@link OutOfMemoryError} or an overflowing array size deep in a backend. The parts: the weights with their
 * gradient and Adam's two moments as core keeps them, the documents' token arrays, and what the backend says
 * its engine holds ({@link Backend#trainingMemory}, {@link Backend#samplingMemory}: the scalar autograd tape,
 * the simd activation buffers and attention scores). All sizes are saturating {@code long} arithmetic.
 *
 * <p>An estimate, not a measurement: it is meant to be at or above what is really allocated (the tests check
 * it against the backends' own counts), so a run it accepts may still meet a heap already used by others.
 *
 * <p>Immutable, so thread-safe.
 */
public final class MemoryEstimate {
    /** Elements one Java array holds at most (a little under {@code Integer.MAX_VALUE} on HotSpot). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final String subject;
    private final List<MemoryPart> parts;

    private MemoryEstimate(String subject, List<MemoryPart> parts) {
        this.subject = subject;
        this.parts = List.copyOf(parts);
    }

    /**
     * A training run: weights, gradients and moments in f64, token arrays for {@code documents} (each the
     * length of a tokenized document), the backend's working set for a batch of {@code batchSize} documents of
     * the longest length, and (as the run samples afterwards, next to it) its sampling state.
     */
    public static MemoryEstimate training(Backend backend, ModelConfig config, int batchSize, int[] documentLengths) {
        List<MemoryPart> parts = new ArrayList<>();
        parts.add(weights(config));
        long tokens = 0;
        int longest = 2;
        for (int n : documentLengths) {
            tokens = plus(tokens, times(4, n) + 24);
            longest = Math.max(longest, n);
        }
        parts.add(new MemoryPart("token arrays of " + documentLengths.length + " documents", tokens, longest, "use a smaller dataset"));
        int positions = Math.min(config.blockSize(), longest - 1);
        MemoryPart train = backend.trainingMemory(config, batchSize, positions);
        if (train != null) parts.add(train);
        MemoryPart sample = backend.samplingMemory(config);   // held next to the engine's buffers when the run samples
        if (sample != null) parts.add(sample);
        return new MemoryEstimate("the run", parts);
    }

    /**
     * Sampling from a saved model: its f64 weights (the checkpoint's and the engine's copy), the engine as it is
     * opened (its working set for one one-position document), and the backend's sampling state.
     */
    public static MemoryEstimate sampling(Backend backend, ModelConfig config) {
        // the file fixes the model's size: what can change is the backend, or the heap
        String remedy = "try another --backend";
        List<MemoryPart> parts = new ArrayList<>();
        long parameters = parameters(config);
        parts.add(new MemoryPart("weights", times(parameters, 2 * Double.BYTES), parameters, remedy));
        MemoryPart engine = backend.trainingMemory(config, 1, 1);
        if (engine != null) {
            parts.add(new MemoryPart("engine's working set as opened (" + engine.what() + ")", engine.bytes(), engine.largestArray(), remedy));
        }
        MemoryPart sample = backend.samplingMemory(config);
        if (sample != null) parts.add(new MemoryPart(sample.what(), sample.bytes(), sample.largestArray(), remedy));
        return new MemoryEstimate("sampling", parts);
    }

    private static MemoryPart weights(ModelConfig c) {
        long parameters = parameters(c);
        return new MemoryPart("weights, gradients and Adam state of " + String.format(Locale.ROOT, "%,d", parameters) + " parameters",
                times(parameters, ModelBudget.BYTES_PER_PARAMETER), parameters, "lower --n-embd or --n-layer");
    }

    /** Parameters of a model of this shape, in long. */
    public static long parameters(ModelConfig c) {
        long e = c.nEmbd();
        return plus(plus(times(2, c.vocabSize(), e), times(c.blockSize(), e)), times(c.nLayer(), 12, e, e));
    }

    /** Bytes in all. */
    public long bytes() {
        long sum = 0;
        for (MemoryPart p : parts) sum = plus(sum, p.bytes());
        return sum;
    }

    /** The parts. */
    public List<MemoryPart> parts() {
        return parts;
    }

    /**
     * Throws a {@link MicrogptException} if a single array would be larger than Java allows, or if everything
     * together needs more than {@code heapBytes}.
     */
    public void check(long heapBytes) {
        for (MemoryPart p : parts) {
            if (p.largestArray() > MAX_ARRAY) {
                throw new MicrogptException(String.format(Locale.ROOT, "%s would need an array of %,d elements for its %s,"
                        + " more than the %,d a Java array holds: %s", subject, p.largestArray(), p.what(), MAX_ARRAY, p.remedy()));
            }
        }
        long total = bytes();
        if (total <= heapBytes) return;
        MemoryPart largest = parts.stream().max(Comparator.comparingLong(MemoryPart::bytes)).orElseThrow();
        throw new MicrogptException(subject + " needs about " + Text.bytes(total) + " (" + Text.bytes(largest.bytes()) + " of it for the "
                + largest.what() + "), more than the " + Text.bytes(heapBytes) + " this JVM's heap allows: " + largest.remedy()
                + ", or raise the heap (CLI: MICROGPT_JAVA_OPTS=-Xmx...)");
    }

    /** a * b * ..., saturating at {@code Long.MAX_VALUE} (all factors non-negative). */
    public static long times(long... factors) {
        long product = 1;
        for (long f : factors) {
            if (f == 0) return 0;
            product = product > Long.MAX_VALUE / f ? Long.MAX_VALUE : product * f;
        }
        return product;
    }

    /** a + b, saturating at {@code Long.MAX_VALUE} (both non-negative). */
    public static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
