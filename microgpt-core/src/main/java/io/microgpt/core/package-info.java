/**
 * The application API: what a program embedding microgpt uses to train, save, resume and sample a model.
 *
 * <p>Load text with {@link io.microgpt.core.data.Dataset}, configure and start a run with
 * {@link io.microgpt.core.TrainingRun#builder}, watch it through {@link io.microgpt.core.TrainingListener} and
 * {@link io.microgpt.core.StepReport}, save and reopen it as a {@link io.microgpt.core.Checkpoint}, and draw names
 * with {@link io.microgpt.core.sampling.Sampler} and {@link io.microgpt.core.PyRandom}. {@link io.microgpt.core.Backends}
 * finds the backends on the class path; the {@link io.microgpt.core.spi.Backend} it returns, and the
 * {@link io.microgpt.core.spi.EngineOptions} a run may be given, live in {@link io.microgpt.core.spi}, which an
 * application imports only to name them. Every failure a user can fix is a
 * {@link io.microgpt.core.MicrogptException} whose message says what was wrong and what to do.
 */
package io.microgpt.core;
