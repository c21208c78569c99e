/**
 * Drawing text from a model: {@link io.microgpt.core.sampling.Sampler} samples documents as the reference does
 * (from BOS to BOS or the block size), {@link io.microgpt.core.sampling.TextGenerator} generates text of any
 * length past the block size for a stream model, and both draw each token through one policy (temperature,
 * top-k, top-p). Used by {@link io.microgpt.core.TrainingRun}, the CLI's {@code sample}, and applications that
 * sample an engine themselves.
 */
package io.microgpt.core.sampling;
