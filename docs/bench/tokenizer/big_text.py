"""A large English-like text for timing tokenizer training: a word-bigram chain over tiny Shakespeare (so the
common words and their order are Shakespeare's) in which one word in twelve is a variant (a letter changed, added
or dropped, or a suffix), which gives the long tail of distinct words a real corpus has (over a million). Seeded,
so every run builds the same text.

    python3 big_text.py OUT [MEGABYTES]      (default 100)
"""
import os
import random
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SUFFIXES = ["s", "ed", "ing", "ly", "er", "est", "ness", "eth", "'s"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def build(megabytes, seed=20260521):
    with open(os.path.join(ROOT, "examples", "tinyshakespeare.txt"), encoding="utf-8") as f:
        source = f.read()
    tokens = re.findall(r"\n|[^ \n]+", source)
    follow = {}
    for a, b in zip(tokens, tokens[1:]):
        follow.setdefault(a, []).append(b)
    rng = random.Random(seed)
    out = []
    size = 0
    target = megabytes * 1_000_000
    word = "\n"
    line = []
    while size < target:
        nxt = follow.get(word)
        word = rng.choice(nxt) if nxt else "\n"
        if word == "\n":
            text = " ".join(line) + "\n"
            out.append(text)
            size += len(text.encode("utf-8"))
            line = []
            continue
        if rng.random() < 1 / 12:
            line.append(variant(rng, word))
        else:
            line.append(word)
    return "".join(out)


def variant(rng, word):
    kind = rng.randrange(4)
    i = rng.randrange(len(word) + 1)
    if kind == 0:
        return word + rng.choice(SUFFIXES)
    if kind == 1:
        return word[:i] + rng.choice(LETTERS) + word[i:]
    if kind == 2 and len(word) > 1:
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice(LETTERS) + word[i + 1:]


if __name__ == "__main__":
    out = sys.argv[1]
    mb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    text = build(mb)
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print(f"wrote {len(text.encode('utf-8')) / 1e6:.1f} MB to {out}")
