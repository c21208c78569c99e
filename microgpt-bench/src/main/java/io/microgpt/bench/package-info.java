/**
 * The JMH benchmarks of training steps, inference and model shapes over every backend on the class path
 * (found through core, never imported), and {@link io.microgpt.bench.FmaPeak}, the machine's FMA peak the
 * results are quoted against. Run from its shaded jar (docs/BENCHMARKS.md).
 */
package io.microgpt.bench;
