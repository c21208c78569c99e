/**
 * Text to token ids and back: the {@link io.microgpt.core.tokenizer.Tokenizer} interface (with its incremental
 * {@link io.microgpt.core.tokenizer.Tokenizer.Decoder}, and the kind and serialised form a checkpoint records),
 * {@link io.microgpt.core.tokenizer.CharTokenizer}, the reference's one id per character, and the byte-level BPE:
 * {@link io.microgpt.core.tokenizer.BpeTrainer} learns one from text, {@link io.microgpt.core.tokenizer.BpeTokenizer}
 * encodes and decodes as Hugging Face's {@code tokenizers} does and reads and writes its {@code tokenizer.json},
 * {@link io.microgpt.core.tokenizer.Gpt2Pattern} splits text into words. Used by the data, sampling and
 * checkpoints; applications meet it as a run's or a checkpoint's vocabulary, or use the BPE on its own.
 */
package io.microgpt.core.tokenizer;
