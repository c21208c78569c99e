"""microgpt's byte-level BPE side by side with Hugging Face tokenizers (Rust, one thread): the same files and ids,
and the time to train and to encode. Optional, never part of CI.

    python3 -m venv /tmp/tok && /tmp/tok/bin/pip install --retries 0 tokenizers
    mvn -B -ntp -q package -DskipTests -pl microgpt-bench -am
    RAYON_NUM_THREADS=1 /tmp/tok/bin/python docs/bench/tokenizer/compare.py [--big-mb 100] [--rounds 3] [--write]

1. Equality: for the bundled texts (names, tiny Shakespeare, cities) and a mixed text (mixed_text.py: code,
   accents, CJK, emoji, combining marks, odd whitespace), with and without GPT-2's pattern, both train a tokenizer
   (tokenizers: BpeTrainer(vocab_size=N, initial_alphabet=ByteLevel.alphabet()) under the ByteLevel pre-tokenizer,
   then "<|bos|>" added) and the two tokenizer.json files are compared byte for byte; then each text is encoded by
   Python and by us with Python's file, and the ids compared.
   Then many small random corpora (small alphabets, so that counts tie often and training runs out of pairs):
   the two tokenizer.json files are compared byte for byte for each.
2. Speed, one thread each (RAYON_NUM_THREADS=1; the JVM's JIT and collector threads count in its CPU time), the
   two programs alternated --rounds times: training on tiny Shakespeare to 1,024 tokens and on a large text
   (big_text.py, --big-mb) to 8,192, each fed as lines (as Tokenizer.train(files) reads a file); encoding tiny
   Shakespeare and the large text's first 10 MB with the 1,024 tokenizer (Python: Tokenizer.encode of the whole
   text for Shakespeare, encode_batch of 1 MB pieces for the large text; us: one encode call), and ours on all of
   the large text too (linear in size). Java's first run in each
   JVM is cold (JIT warming), as a command-line user meets it; later runs in the same JVM are warm. CPU time:
   Python's process_time; for a cold Java run the process's (JIT and collector threads included, in 10 ms ticks),
   for a warm one the calling thread's.
With --write, the tables go into docs/BENCHMARKS.md's "Tokenizer" section (between its markers).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from big_text import build as build_big  # noqa: E402
from mixed_text import mixed_text  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
JAVA = ["java", "-Xmx8g", "-cp", os.path.join(ROOT, "microgpt-bench", "target", "benchmarks.jar"),
        "io.microgpt.bench.TokenizerTimer"]
START, END = "<!-- tokenizer-table:start -->", "<!-- tokenizer-table:end -->"


def lines(text):
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def hf_train(sequences, vocab, pattern):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=pattern)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    wall, cpu = time.perf_counter(), time.process_time()
    tok.train_from_iterator(sequences, trainer)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tok.add_special_tokens(["<|bos|>"])
    return tok, wall, cpu


def java(*args):
    out = subprocess.run(JAVA + [str(a) for a in args], check=True, capture_output=True, text=True).stdout
    runs = []
    for line in out.splitlines():
        m = re.match(r"(\w+) run (\d+) wall ([\d.]+) cpu ([\d.]+) thread ([\d.]+)", line)
        if m:
            # a cold run: the process's CPU (the JIT's threads included); a warm one: the thread's (precise)
            cpu = float(m.group(4)) if m.group(2) == "1" else float(m.group(5))
            runs.append((float(m.group(3)), cpu))
    return runs


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def equality(tmp):
    with open(os.path.join(ROOT, "microgpt-core", "src", "main", "resources", "io", "microgpt", "core", "data",
                           "names.txt"), encoding="utf-8") as f:
        names = f.read()
    texts = {"names.txt": names, "tinyshakespeare.txt": read_example("tinyshakespeare.txt"),
             "cities.txt": read_example("cities.txt"), "mixed (mixed_text.py)": mixed_text()}
    rows = []
    for name, text in texts.items():
        path = os.path.join(tmp, "text.txt")
        write(path, text)
        for pattern in (True, False):
            vocab = 1024 if len(text) > 100_000 else 400
            hf, _, _ = hf_train(lines(text), vocab, pattern)
            hf_json = os.path.join(tmp, "hf.json")
            hf.save(hf_json)
            ours_json = os.path.join(tmp, "ours.json")
            java("train", path, vocab, "pattern" if pattern else "whole", "lines", 1, ours_json)
            same_file = open(hf_json, "rb").read() == open(ours_json, "rb").read()
            ids_path = os.path.join(tmp, "ids.txt")
            java("encode", hf_json, path, 1, ids_path)
            ours_ids = open(ids_path).read().split()
            hf_ids = [str(i) for i in hf.encode(text).ids]
            rows.append((name, len(text.encode("utf-8")), "yes" if pattern else "no", vocab, same_file,
                         ours_ids == hf_ids, len(hf_ids)))
            print(rows[-1], flush=True)
    return rows


def random_cases(tmp, count, seed=7):
    import json
    import random
    rng = random.Random(seed)
    cases, expected = [], []
    for _ in range(count):
        alphabet = rng.choice(["ab", "abc", "abcd", "ab ", "abc \n", "aab'sl ", "xyzé日 "])
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(rng.randint(1, 12))]
        vocab = rng.randint(256, 600)
        pattern = rng.random() < 0.5
        tok, _, _ = hf_train(texts, vocab, pattern)
        cases.append({"texts": texts, "vocab": vocab, "pattern": pattern})
        expected.append(tok.to_str(pretty=True))
    path, out = os.path.join(tmp, "cases.json"), os.path.join(tmp, "cases.out")
    write(path, json.dumps(cases))
    java("cases", path, out)
    ours = open(out, encoding="utf-8").read().split("\n\0\n")[:-1]
    same = sum(a == b for a, b in zip(expected, ours))
    print(f"random corpora: {same} of {count} the same", flush=True)
    return same, count


def read_example(name):
    with open(os.path.join(ROOT, "examples", name), encoding="utf-8", newline="") as f:
        return f.read()


def speed(tmp, big_mb, rounds):
    shk = read_example("tinyshakespeare.txt")
    shk_path = os.path.join(tmp, "shakespeare.txt")
    write(shk_path, shk)
    big_path = os.path.join(tmp, f"big{big_mb}.txt")
    if not os.path.exists(big_path):
        write(big_path, build_big(big_mb))
    with open(big_path, encoding="utf-8") as f:
        big = f.read()
    big_bytes = len(big.encode("utf-8"))
    # encoding is timed on the first 10 MB (Python's tokenizers takes minutes for 100 MB on one thread); ours
    # also on all of it, to show it linear
    part = big[:big.index("\n", 10_000_000) + 1]
    part_path = os.path.join(tmp, "part.txt")
    write(part_path, part)
    part_bytes = len(part.encode("utf-8"))
    chunks, piece = [], []
    size = 0
    for line in lines(part):
        piece.append(line)
        size += len(line)
        if size > 1_000_000:
            chunks.append("".join(piece))
            piece, size = [], 0
    if piece:
        chunks.append("".join(piece))
    shk_lines, big_lines = lines(shk), lines(big)
    hf_tok, _, _ = hf_train(shk_lines, 1024, True)
    tok_json = os.path.join(tmp, "hf-1024.json")
    hf_tok.save(tok_json)
    results = {k: [] for k in ["hf train shk", "java train shk cold", "java train shk warm", "hf train big",
                               "java train big", "hf encode shk", "java encode shk cold", "java encode shk warm",
                               "hf encode part", "java encode part", "java encode big"]}
    same_big = None
    for r in range(rounds):
        print(f"round {r + 1}: {os.getloadavg()}", flush=True)
        _, wall, cpu = hf_train(shk_lines, 1024, True)
        results["hf train shk"].append((wall, cpu))
        runs = java("train", shk_path, 1024, "pattern", "lines", 4, os.path.join(tmp, "j.json"))
        results["java train shk cold"].append(runs[0])
        results["java train shk warm"].append(min(runs[1:]))
        big_tok, wall, cpu = hf_train(big_lines, 8192, True)
        results["hf train big"].append((wall, cpu))
        results["java train big"].append(java("train", big_path, 8192, "pattern", "lines", 1,
                                              os.path.join(tmp, "jb.json"))[0])
        if r == 0:
            big_tok.save(os.path.join(tmp, "hb.json"))
            same_big = open(os.path.join(tmp, "hb.json"), "rb").read() == open(os.path.join(tmp, "jb.json"), "rb").read()
            print("large text: same tokenizer.json:", same_big, flush=True)
        wall, cpu = time.perf_counter(), time.process_time()
        hf_tok.encode(shk)
        results["hf encode shk"].append((time.perf_counter() - wall, time.process_time() - cpu))
        runs = java("encode", tok_json, shk_path, 5)
        results["java encode shk cold"].append(runs[0])
        results["java encode shk warm"].append(min(runs[1:]))
        wall, cpu = time.perf_counter(), time.process_time()
        hf_tok.encode_batch(chunks)
        results["hf encode part"].append((time.perf_counter() - wall, time.process_time() - cpu))
        results["java encode part"].append(java("encode", tok_json, part_path, 1)[0])
        results["java encode big"].append(java("encode", tok_json, big_path, 1)[0])
        for k, v in results.items():
            print(f"  {k}: wall {v[-1][0]:.3f} cpu {v[-1][1]:.3f}", flush=True)
    return results, len(shk.encode("utf-8")), big_bytes, part_bytes, same_big


def median(pairs, i):
    return statistics.median(p[i] for p in pairs)


def tables(eq_rows, results, shk_bytes, big_bytes, part_bytes, rounds, loads):
    cpu_name = subprocess.run(["bash", "-c", "lscpu | sed -n 's/^Model name: *//p' | head -1"],
                              capture_output=True, text=True).stdout.strip()
    import tokenizers
    out = [f"Made by `docs/bench/tokenizer/compare.py` with tokenizers {tokenizers.__version__} "
           f"(RAYON_NUM_THREADS=1), {cpu_name}, {os.cpu_count()} cores shared with other work; load average "
           f"{loads[0]:.1f} before, {loads[1]:.1f} after. Medians of {rounds} alternated rounds.", "",
           "| text | size | GPT-2 pattern | tokens | same tokenizer.json | same ids | ids |",
           "|---|---:|---|---:|---|---|---:|"]
    for name, size, pattern, vocab, same_file, same_ids, n in eq_rows:
        ids = "not compared" if same_ids is None else "yes" if same_ids else "**no**"
        out.append(f"| {name} | {size:,} B | {pattern} | {vocab:,} | {'yes' if same_file else '**no**'} | "
                   f"{ids} | {n:,} |")
    out += ["", "| task | tokenizers (Rust), s wall / CPU | microgpt (Java), s wall / CPU | ratio (CPU) |",
            "|---|---:|---:|---:|"]

    def row(task, hf, ours, note=""):
        h, o = results[hf], results[ours]
        out.append(f"| {task}{note} | {median(h, 0):.2f} / {median(h, 1):.2f} | {median(o, 0):.2f} / "
                   f"{median(o, 1):.2f} | {median(o, 1) / median(h, 1):.2f}x |")

    row("train, tiny Shakespeare (1.1 MB) to 1,024, cold JVM", "hf train shk", "java train shk cold")
    row("train, tiny Shakespeare to 1,024, warm JVM", "hf train shk", "java train shk warm")
    row(f"train, large text ({big_bytes / 1e6:.0f} MB) to 8,192, cold JVM", "hf train big", "java train big")
    row("encode tiny Shakespeare, cold JVM", "hf encode shk", "java encode shk cold")
    row("encode tiny Shakespeare, warm JVM", "hf encode shk", "java encode shk warm")
    row(f"encode the large text's first {part_bytes / 1e6:.0f} MB, cold JVM", "hf encode part", "java encode part")
    out += ["", "| encoding throughput (MB/s of CPU time, one thread) | tokenizers | microgpt |", "|---|---:|---:|"]
    for label, hf, ours, size in [("tiny Shakespeare (1.1 MB), warm JVM", "hf encode shk", "java encode shk warm", shk_bytes),
                                  (f"large text, first {part_bytes / 1e6:.0f} MB, cold JVM", "hf encode part",
                                   "java encode part", part_bytes)]:
        out.append(f"| {label} | {size / 1e6 / median(results[hf], 1):.1f} | "
                   f"{size / 1e6 / median(results[ours], 1):.1f} |")
    big = results["java encode big"]
    out.append(f"| large text, all {big_bytes / 1e6:.0f} MB, cold JVM | – | {big_bytes / 1e6 / median(big, 1):.1f} |")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--big-mb", type=int, default=100)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--write", action="store_true")
    p.add_argument("--skip-equality", action="store_true")
    p.add_argument("--jar", help="the benchmarks jar (default microgpt-bench/target/benchmarks.jar)")
    a = p.parse_args()
    if a.jar:
        JAVA[3] = a.jar
    if os.environ.get("RAYON_NUM_THREADS") != "1":
        sys.exit("run with RAYON_NUM_THREADS=1 (one thread, as ours)")
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        eq = [] if a.skip_equality else equality(tmp)
        fuzz = (0, 0) if a.skip_equality else random_cases(tmp, 2000)
        results, shk_bytes, big_bytes, part_bytes, same_big = speed(tmp, a.big_mb, a.rounds)
        eq.append((f"large text (big_text.py, {a.big_mb} MB)", big_bytes, "yes", 8192, same_big, None, 0))
    after = os.getloadavg()[0]
    text = tables(eq, results, shk_bytes, big_bytes, part_bytes, a.rounds, (before, after))
    text = text.replace("\n\n| task", f"\n\nRandom small corpora (compare.py's random_cases): {fuzz[0]:,} of {fuzz[1]:,} "
                                      f"tokenizer.json files the same byte for byte.\n\n| task", 1)
    print(text)
    if a.write:
        path = os.path.join(ROOT, "docs", "BENCHMARKS.md")
        doc = open(path, encoding="utf-8").read()
        block = START + "\n" + text + "\n" + END
        if START in doc:
            doc = doc[:doc.index(START)] + block + doc[doc.index(END) + len(END):]
        else:
            doc += "\n## Tokenizer\n\n" + block + "\n"
        write(path, doc)


if __name__ == "__main__":
    main()
