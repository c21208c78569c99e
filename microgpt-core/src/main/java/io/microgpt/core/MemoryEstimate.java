package io.microgpt.core;

import io.microgpt.core.spi.Backend;
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
 */
public final class MemoryEstimate {
    /** Elements one Java array holds at most (a little under {@code Integer.MAX_VALUE} on HotSpot). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * One part of what is held.
     *
     * @param what         what it is, for the message (e.g. {@code autograd tape for 1 document of 16 positions})
     * @param bytes        its size in bytes (saturated at {@code Long.MAX_VALUE})
     * @param largestArray elements of its largest single array, which must stay within {@link #MAX_ARRAY}
     * @param remedy       what makes it smaller, as the user would do it (e.g. {@code lower --batch or --block-size})
     */
    public record Part(String what, long bytes, long largestArray, String remedy) {
    }

    private final String subject;
    private final List<Part> parts;

    private MemoryEstimate(String subject, List<Part> parts) {
        this.subject = subject;
        this.parts = List.copyOf(parts);
    }

    /**
     * A training run: weights, gradients and moments in f64, token arrays for {@code documents} (each the
     * length of a tokenized document), the backend's working set for a batch of {@code batchSize} documents of
     * the longest length, and (as the run samples afterwards, next to it) its sampling state.
     */
    public static MemoryEstimate training(Backend backend, ModelConfig config, int batchSize, int[] documentLengths) {
        List<Part> parts = new ArrayList<>();
        parts.add(weights(config));
        long tokens = 0;
        int longest = 2;
        for (int n : documentLengths) {
            tokens = plus(tokens, times(4, n) + 24);
            longest = Math.max(longest, n);
        }
        parts.add(new Part("token arrays of " + documentLengths.length + " documents", tokens, longest, "use a smaller dataset"));
        int positions = Math.min(config.blockSize(), longest - 1);
        Part train = backend.trainingMemory(config, batchSize, positions);
        if (train != null) parts.add(train);
        Part sample = backend.samplingMemory(config);   // held next to the engine's buffers when the run samples
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
        List<Part> parts = new ArrayList<>();
        long parameters = parameters(config);
        parts.add(new Part("weights", times(parameters, 2 * Double.BYTES), parameters, remedy));
        Part engine = backend.trainingMemory(config, 1, 1);
        if (engine != null) {
            parts.add(new Part("engine's working set as opened (" + engine.what() + ")", engine.bytes(), engine.largestArray(), remedy));
        }
        Part sample = backend.samplingMemory(config);
        if (sample != null) parts.add(new Part(sample.what(), sample.bytes(), sample.largestArray(), remedy));
        return new MemoryEstimate("sampling", parts);
    }

    private static Part weights(ModelConfig c) {
        long parameters = parameters(c);
        return new Part("weights, gradients and Adam state of " + String.format(Locale.ROOT, "%,d", parameters) + " parameters",
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
        for (Part p : parts) sum = plus(sum, p.bytes());
        return sum;
    }

    /** The parts. */
    public List<Part> parts() {
        return parts;
    }

    /**
     * Throws a {@link MicrogptException} if a single array would be larger than Java allows, or if everything
     * together needs more than {@code heapBytes}.
     */
    public void check(long heapBytes) {
        for (Part p : parts) {
            if (p.largestArray() > MAX_ARRAY) {
                throw new MicrogptException(String.format(Locale.ROOT, "%s would need an array of %,d elements for its %s,"
                        + " more than the %,d a Java array holds: %s", subject, p.largestArray(), p.what(), MAX_ARRAY, p.remedy()));
            }
        }
        long total = bytes();
        if (total <= heapBytes) return;
        Part largest = parts.stream().max(Comparator.comparingLong(Part::bytes)).orElseThrow();
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
