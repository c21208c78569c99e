package io.microgpt.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one JIT setting the simd engine's speed depends on: C2's {@code PerMethodTrapLimit}. Below 1,000 (HotSpot's
 * default is 100), some JVM runs compile the large matrix kernels without the Vector API's intrinsics and stay
 * several times slower for their whole life (docs/simd.md, "The two JVM flags"; the measurement: docs/bench-log.md,
 * "The slow JVM runs, found").
 * {@code ./microgpt} passes {@code -XX:PerMethodTrapLimit=1000}; {@code bench} says so when a JVM runs without it.
 */
final class TrapLimitCheck {
    /** The value the launcher passes. */
    static final long RECOMMENDED = 1000;

    private TrapLimitCheck() {
    }

    /** This JVM's {@code PerMethodTrapLimit}, or empty where the JVM is not HotSpot or will not say. */
    static OptionalLong current() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null) return OptionalLong.empty();
            return OptionalLong.of(Long.parseLong(hotspot.getVMOption("PerMethodTrapLimit").getValue()));
        } catch (RuntimeException | LinkageError e) {
            return OptionalLong.empty();   // another JVM, or the option is gone: nothing to say
        }
    }

    /** One line for a benchmark of the simd backend when the limit is below {@link #RECOMMENDED}. */
    static Optional<String> warning(OptionalLong limit) {
        if (limit.isEmpty() || limit.getAsLong() >= RECOMMENDED) return Optional.empty();
        return Optional.of("note: this JVM runs with -XX:PerMethodTrapLimit=" + limit.getAsLong()
                + "; some runs of the simd backend are then 2-5x slower. Start java with -XX:PerMethodTrapLimit="
                + RECOMMENDED + " (./microgpt does).");
    }
}
