/**
 * The backend SPI: what a backend author implements, and the helpers core gives them to do it.
 *
 * <p>A backend is a {@link io.microgpt.core.spi.Backend} its module {@code provides} (or, on the class path, listed
 * in {@code META-INF/services/io.microgpt.core.spi.Backend}), computing in a {@link io.microgpt.core.spi.DType}
 * and saying what its engines hold ({@link io.microgpt.core.spi.MemoryPart}). It opens an {@link io.microgpt.core.spi.Engine} on initial
 * {@link io.microgpt.core.spi.Parameters} (named tensors laid out by {@link io.microgpt.core.spi.ParameterLayout}
 * and {@link io.microgpt.core.spi.TensorSpec}) and {@link io.microgpt.core.spi.EngineOptions}; the engine owns its
 * copy of the weights and its {@link io.microgpt.core.spi.OptimizerState}, trains one step at the
 * {@link io.microgpt.core.spi.AdamStep} it is given (the f64 update is written once in
 * {@link io.microgpt.core.spi.Adam}), checks its input with {@link io.microgpt.core.spi.Batches}, and streams
 * next-token logits for sampling through a {@link io.microgpt.core.spi.LogitStream}.
 * {@link io.microgpt.core.spi.GradientCheck} compares a backend's gradients with another engine's and with finite
 * differences. Applications need these types only to name a backend or pass options; everything else they use is
 * in {@link io.microgpt.core}. This is the lower floor: it names of core only the plain value types
 * ({@code ModelConfig}, {@code TrainingConfig}, {@code MicrogptException}, ...), never the classes that use it.
 */
package io.microgpt.core.spi;
