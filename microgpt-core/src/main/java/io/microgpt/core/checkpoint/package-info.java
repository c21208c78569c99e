/**
 * The checkpoint file format: {@link io.microgpt.core.checkpoint.SafetensorsFile} reads and writes the
 * safetensors container strictly (its header through the JSON reader of {@code io.microgpt.core.json}, under the
 * header's rules), and
 * {@link io.microgpt.core.checkpoint.CheckpointCodec} maps a {@link io.microgpt.core.Checkpoint} to its metadata
 * and tensors and back, checking everything a file from elsewhere could get wrong. Applications go through
 * {@link io.microgpt.core.Checkpoint}; this package is public for the {@link io.microgpt.core.checkpoint.SafetensorsFile.Tensor}
 * entries a checkpoint lists.
 */
package io.microgpt.core.checkpoint;
