/**
 * JSON for the files microgpt reads and writes: {@link io.microgpt.core.json.Json}, a strict reader narrowed by
 * rules (a safetensors header's whole-number subset; a Hugging Face {@code tokenizer.json}), and
 * {@link io.microgpt.core.json.PrettyJson}, which writes serde_json's pretty layout so that our tokenizer files
 * match Python's byte for byte. Internal to core.
 */
package io.microgpt.core.json;
