"""Writes the tokenizer test fixtures with Hugging Face tokenizers (run once; the outputs are committed).

    python3 -m venv /tmp/tok && /tmp/tok/bin/pip install --retries 0 tokenizers
    /tmp/tok/bin/python docs/bench/tokenizer/make_fixtures.py

Into microgpt-core/src/test/resources/io/microgpt/core/tokenizer/:
  mixed.txt                      the text of mixed_text.py (code, accents, CJK, emoji, odd whitespace, ...)
  shakespeare-1024.json          trained on examples/tinyshakespeare.txt (one sequence), 1,024 tokens, GPT-2 pattern
  mixed-bytes-320.json           trained on mixed.txt (one sequence per \\n-ended line), 320 tokens, no pattern
  mixed.<tokenizer>.ids          mixed.txt encoded by each, ids separated by single spaces
  shakespeare.shakespeare-1024.sha256   SHA-256 of tinyshakespeare.txt's ids (same format), too long to commit
Each tokenizer: BpeTrainer(vocab_size=N, initial_alphabet=ByteLevel.alphabet()) under the ByteLevel pre-tokenizer
(add_prefix_space False) and decoder, then "<|bos|>" added as a special token (so it takes the last id).
"""
import hashlib
import os
import re
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mixed_text import mixed_text  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
OUT = os.path.join(ROOT, "microgpt-core", "src", "test", "resources", "io", "microgpt", "core", "tokenizer")


def train(sequences, vocab_size, use_regex):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=use_regex)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(sequences, trainer)
    tok.add_special_tokens(["<|bos|>"])
    return tok


def lines(text):
    """The lines of a text, each with its \\n (split there only, unlike str.splitlines)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def ids_line(tok, text):
    return " ".join(str(i) for i in tok.encode(text).ids)


def write(name, text):
    with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    os.makedirs(OUT, exist_ok=True)
    mixed = mixed_text()
    write("mixed.txt", mixed)
    with open(os.path.join(ROOT, "examples", "tinyshakespeare.txt"), encoding="utf-8", newline="") as f:
        shakespeare = f.read()

    shk = train([shakespeare], 1024, True)
    shk.save(os.path.join(OUT, "shakespeare-1024.json"))
    write("mixed.shakespeare-1024.ids", ids_line(shk, mixed) + "\n")
    digest = hashlib.sha256(ids_line(shk, shakespeare).encode("ascii")).hexdigest()
    write("shakespeare.shakespeare-1024.sha256", digest + "\n")

    raw = train(lines(mixed), 320, False)
    raw.save(os.path.join(OUT, "mixed-bytes-320.json"))
    write("mixed.mixed-bytes-320.ids", ids_line(raw, mixed) + "\n")

    # decoding is lossless for what encoding made
    for tok in (shk, raw):
        assert tok.decode(tok.encode(mixed).ids, skip_special_tokens=False) == mixed
    print("wrote fixtures to", OUT)


if __name__ == "__main__":
    main()
