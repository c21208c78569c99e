/**
 * The fast backend: hand-derived f32 kernels on the incubating Vector API, provided as {@code simd} to core's
 * ServiceLoader; also the kernel timers ({@code ProductTimer}, {@code AttentionTimer}), run by their main.
 */
module io.microgpt.simd {
    requires io.microgpt.core;
    requires jdk.incubator.vector;
    requires java.management;   // the timers' thread CPU time

    provides io.microgpt.core.spi.Backend with io.microgpt.simd.SimdBackend;
}
