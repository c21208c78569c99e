package io.microgpt.cli.sweep;

import io.microgpt.core.MicrogptException;
import io.microgpt.core.Text;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a plan's runs fit this machine: each run's heap estimate within the heap a run's JVM gets (the same
 * as this JVM's: runs start with its options), and the largest {@code parallel} of them together, with
 * {@value #JVM_OVERHEAD_MB} MB for each JVM beside its heap (code, classes, threads), within the RAM.
 */
final class MemoryFit {
    /** What a JVM holds besides its heap, roughly: metaspace, code cache, thread stacks, GC structures. */
    static final long JVM_OVERHEAD_MB = 100;

    private MemoryFit() {
    }

    /** The physical memory the JVM sees (the container's limit in a container), or {@code Long.MAX_VALUE} if unknown. */
    static long ram() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
        return Long.MAX_VALUE;
    }

    /** Throws a {@link MicrogptException} saying what to change if the runs do not fit. */
    static void check(List<RunEstimate> estimates, int parallel, long heap, long ram) {
        for (RunEstimate e : estimates) {
            if (e.memoryBytes() > heap) {
                throw new MicrogptException("run " + e.run().index() + " (" + e.run().label() + ") needs about " + Text.bytes(e.memoryBytes())
                        + ", more than the " + Text.bytes(heap) + " heap each run's JVM gets: lower --n-embd, --n-layer, --block-size or"
                        + " --batch, or raise the heap (MICROGPT_JAVA_OPTS=-Xmx...)");
            }
        }
        long together = together(estimates, parallel);
        if (together > ram) {
            int fits = parallel;
            while (fits > 1 && together(estimates, fits) > ram) fits--;
            throw new MicrogptException("with " + parallel + " runs at once the plan needs about " + Text.bytes(together)
                    + " (the largest runs' heaps and " + JVM_OVERHEAD_MB + " MB for each JVM), more than the " + Text.bytes(ram)
                    + " of RAM here: " + (together(estimates, fits) <= ram ? "use --parallel " + fits : "lower the model sizes"));
        }
    }

    /** Bytes of the {@code parallel} largest runs at once, with each JVM's overhead. */
    static long together(List<RunEstimate> estimates, int parallel) {
        int n = Math.min(parallel, estimates.size());
        long sum = n * JVM_OVERHEAD_MB * 1_000_000L;
        List<RunEstimate> largest = estimates.stream().sorted(Comparator.comparingLong(RunEstimate::memoryBytes).reversed()).limit(n).toList();
        for (RunEstimate e : largest) sum = io.microgpt.core.MemoryEstimate.plus(sum, e.memoryBytes());
        return sum;
    }
}
