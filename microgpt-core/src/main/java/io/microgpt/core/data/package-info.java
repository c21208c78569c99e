/**
 * What a run trains on. {@link io.microgpt.core.data.TrainingData} is the seam: a
 * {@link io.microgpt.core.data.Dataset} (one document per line, the reference's layout) or a
 * {@link io.microgpt.core.data.TextStream} (one text, trained on windows), each laid out for a run as its
 * {@link io.microgpt.core.data.TrainingData.Samples} (the shuffled documents, or windows at random offsets).
 * {@link io.microgpt.core.data.DataLayout} names the two layouts and says how each is read and reopened from a
 * checkpoint's {@link io.microgpt.core.data.DataSource}. Used by applications to load data and by
 * {@link io.microgpt.core.TrainingRun}.
 */
package io.microgpt.core.data;
