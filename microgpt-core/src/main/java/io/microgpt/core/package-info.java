/**
 * The application API: what a program embedding microgpt uses to train, save, resume and sample a model.
 *
 * <p>Load data as a {@link io.microgpt.core.data.TrainingData} (a {@link io.microgpt.core.data.Dataset} of
 * documents or a {@link io.microgpt.core.data.TextStream}), configure and start a run with
 * {@link io.microgpt.core.TrainingRun#builder}, watch it through {@link io.microgpt.core.TrainingListener} and
 * {@link io.microgpt.core.StepReport}, save and reopen it as a {@link io.microgpt.core.Checkpoint}, and sample it
 * ({@link io.microgpt.core.TrainingRun#sample}, {@link io.microgpt.core.TrainingRun#generate}). The configs
 * ({@link io.microgpt.core.ModelConfig}, {@link io.microgpt.core.TrainingConfig},
 * {@link io.microgpt.core.TrainingControls}, {@link io.microgpt.core.SamplingSettings}) hold every default and
 * validity rule, once, naming each {@link io.microgpt.core.Setting} as the caller calls it.
 * {@link io.microgpt.core.Backends} finds the backends; the {@link io.microgpt.core.spi.Backend} it returns lives
 * in {@link io.microgpt.core.spi}, the lower floor, which names nothing of this package but its plain value types.
 * Every failure a user can fix is a {@link io.microgpt.core.MicrogptException} whose message says what was wrong
 * and what to do.
 */
package io.microgpt.core;
