package io.microgpt.bench;

/**
 * Prints the backends that can run in this JVM as a comma list (e.g. {@code scalar,simd}), for scripts that
 * pass it on as {@code -p backend=...}: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * io.microgpt.bench.AvailableBackends}.
 *
 * <p>A program of its own ({@code main}): it shares nothing between threads.
 */
public final class AvailableBackends {
    private AvailableBackends() {
    }

    /** Prints the list on one line. */
    public static void main(String[] args) {
        System.out.println(String.join(",", BenchmarkRuns.availableNames()));
    }
}
