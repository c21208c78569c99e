/**
 * The fast backend, {@code simd}: {@link io.microgpt.simd.SimdBackend} opens a {@link io.microgpt.simd.SimdEngine}
 * that trains in f32 with hand-derived forward and backward passes ({@code GptPass}, {@code TransformerBlock},
 * {@code CausalAttention}, ...) on register-blocked kernels ({@code Gemm}, {@code VectorKernels}) of the incubating Vector API,
 * split over worker threads. Found by core's ServiceLoader; the kernel timers ({@code ProductTimer},
 * {@code AttentionTimer}) are run by their main.
 */
package io.microgpt.simd;
