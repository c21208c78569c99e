/**
 * Text to token ids and back: the {@link io.microgpt.core.tokenizer.Tokenizer} interface (with its incremental
 * {@link io.microgpt.core.tokenizer.Tokenizer.Decoder}, and the kind and serialised form a checkpoint records),
 * and {@link io.microgpt.core.tokenizer.CharTokenizer}, the reference's one id per character. Used by the data,
 * sampling and checkpoints; applications meet it as a run's or a checkpoint's vocabulary.
 */
package io.microgpt.core.tokenizer;
