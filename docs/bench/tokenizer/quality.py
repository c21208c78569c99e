"""Characters against byte-level BPE at equal training time: the nanoGPT CPU recipe's shape and schedule on tiny
Shakespeare (and, with --code, on this repository's Java sources concatenated, a text where characters do badly),
one run per tokenizer, each given the CPU time the character run's 2,000 steps take, and compared by validation
bits per character (which, unlike the loss per token, compares across tokenizers).

    mvn -B -ntp -q package -DskipTests -pl microgpt-cli -am
    python3 docs/bench/tokenizer/quality.py [--out DIR] [--code] [--sizes 256,512,1024] [--jar microgpt.jar]

Equal training time is set by equal computation: each tokenizer's run gets round(2000 x F_char / F_bpe) steps,
F being the training FLOPs of a step (TrainingFlops' count; a larger vocabulary costs more in lm_head: 3% more at
257 ids, 15% at 1,025), the schedule (warm-up 100, cosine to 1e-4) stretched to them. (Measured CPU time per step
on this shared machine varies by 20% from minute to minute, more than the differences to be balanced.) One thread
each (--threads 1); the CPU time of every run is printed beside. Prints a table of the final validation loss and
bits per character, the steps, the CPU time, and the start of each run's closing passage.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RECIPE = ["--layout", "stream", "--backend", "simd", "--threads", "1", "--n-layer", "4", "--n-head", "4",
          "--n-embd", "128", "--block-size", "64", "--batch", "12", "--lr", "1e-3",
          "--schedule", "cosine", "--min-lr", "1e-4", "--beta1", "0.9", "--beta2", "0.99", "--weight-decay", "0.1",
          "--grad-clip", "1.0", "--log-every", "100"]
CHAR_STEPS = 2000
# the launcher's JVM flags, on a jar of its own (--jar: a copy, so that rebuilding the tree meanwhile changes nothing)
LAUNCH = ["java", "--add-modules", "jdk.incubator.vector", "-Xss8m", "-XX:PerMethodTrapLimit=1000", "-jar",
          os.path.join(ROOT, "microgpt-cli", "target", "microgpt.jar")]


def train(data, tokenizer, steps, out_prefix, evaluate):
    args = LAUNCH + ["train", "--data", data, "--steps", str(steps), "--warmup", str(min(100, steps // 2))] + RECIPE + tokenizer
    args += ["--eval-every", "100"] if evaluate else ["--eval-every", "0", "--val-fraction", "0.1"]
    with open(out_prefix + ".out", "w") as out, open(out_prefix + ".err", "w") as err:
        wall = os.times()
        subprocess.run(args, stdout=out, stderr=err, check=True, cwd=ROOT)
        after = os.times()
    cpu = (after.children_user + after.children_system) - (wall.children_user + wall.children_system)
    summary = open(out_prefix + ".err").read().strip().splitlines()[-1]
    return summary, cpu


def flops_per_step(vocab_size):
    """Training FLOPs of one step of the recipe (TrainingFlops' count: matrix products and attention, forward and
    backward), which differ between tokenizers only by the vocabulary's lm_head."""
    n_layer, n_head, n_embd, block, batch = 4, 4, 128, 64, 12
    per_position = 2 * (n_layer * 12 * n_embd ** 2 + vocab_size * n_embd)
    attention = n_layer * 4 * n_head * (n_embd // n_head) * block * (block + 1) / 2
    return batch * 3 * (per_position * block + attention)


def code_text(path):
    files = sorted(glob.glob(os.path.join(ROOT, "*", "src", "**", "*.java"), recursive=True))
    with open(path, "w", encoding="utf-8") as f:
        for name in files:
            with open(name, encoding="utf-8") as g:
                f.write(g.read())
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="/tmp/microgpt-quality")
    p.add_argument("--code", action="store_true", help="also the Java sources (characters and 1,024 tokens)")
    p.add_argument("--sizes", default="256,512,1024")
    p.add_argument("--jar", help="the CLI jar (default microgpt-cli/target/microgpt.jar)")
    a = p.parse_args()
    if a.jar:
        LAUNCH[-1] = a.jar
    os.makedirs(a.out, exist_ok=True)
    texts = [("tiny Shakespeare", os.path.join(ROOT, "examples", "tinyshakespeare.txt"),
              [int(s) for s in a.sizes.split(",")])]
    if a.code:
        texts.append(("Java sources", code_text(os.path.join(a.out, "java-sources.txt")), [1024]))
    rows = []
    for label, data, sizes in texts:
        tokenizers = [("char", [])] + [(f"bpe {n}", ["--tokenizer", "bpe", "--vocab-size", str(n)]) for n in sizes]
        char_vocab = len(set(open(data, encoding="utf-8").read())) + 1
        for name, flags in tokenizers:
            vocab = char_vocab if name == "char" else int(name.split()[1]) + 1
            steps = round(CHAR_STEPS * flops_per_step(char_vocab) / flops_per_step(vocab))
            prefix = os.path.join(a.out, f"{label}-{name}".replace(" ", "_"))
            summary, cpu = train(data, flags, steps, prefix, True)
            val = re.search(r"val loss (\d+\.\d+)", summary).group(1)
            bpc = re.search(r"val bpc (\d+\.\d+)", summary).group(1)
            output = open(prefix + ".out", encoding="utf-8").read()
            passage = output.split("--- generated text ---\n", 1)[-1].strip().splitlines()[:4]
            rows.append((label, name, steps, cpu, val, bpc, passage))
            print(f"{label}, {name}: {steps} steps, {cpu:.0f} s CPU, val {val} nats/token, {bpc} bits/char", flush=True)
    print()
    print("| text | tokenizer | steps | CPU time | val loss (nats/token) | val bits/char |")
    print("|---|---|---:|---:|---:|---:|")
    for label, name, steps, cpu, val, bpc, _ in rows:
        print(f"| {label} | {name} | {steps:,} | {cpu:.0f} s | {val} | **{bpc}** |")
    for label, name, *_, passage in rows:
        print(f"\n{label}, {name}:\n```\n" + "\n".join(passage) + "\n```")


if __name__ == "__main__":
    sys.exit(main())
