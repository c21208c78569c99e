/**
 * The reference backend, {@code scalar}: {@link io.microgpt.scalar.ScalarBackend} opens a
 * {@link io.microgpt.scalar.ScalarEngine} that runs {@link io.microgpt.scalar.ScalarGpt}, microgpt.py's model,
 * on an f64 autograd {@link io.microgpt.scalar.Tape}, so that losses, gradients and samples are the reference
 * program's. Found by core's ServiceLoader; nothing else imports it.
 */
package io.microgpt.scalar;
