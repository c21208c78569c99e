"""microgpt-java's simd backend and PyTorch side by side: µs per training sample at the same shapes and thread
counts, interleaved, several repetitions; writes the table into docs/BENCHMARKS.md.

Run it as docs/bench/pytorch/side_by_side.sh [--quick] (see there). Steps:
 1. builds the CLI jar and benchmarks.jar (mvn package, no tests);
 2. self-check: trains 3 steps with microgpt (simd), saves the checkpoint after step 1, and has
    microgpt_torch.py recompute steps 2 and 3 from it: the same weights must give the same loss (f32 tolerance);
 3. the core's FMA peak (io.microgpt.bench.FmaPeak, one thread);
 4. for each repetition, shape and thread count (1, 2): one `microgpt bench` round and one PyTorch round, the
    order alternating between repetitions; the median, fastest and slowest repetition go into the table.
Never part of `mvn verify` or CI.
"""
import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from sidebyside import (DOC, JAVA, JVM_FLAGS, ROOT, busy, build_jars, cell, cpu_model, fma_peak, load_average,  # noqa: E402
                        log, run, write_section)

NAMES = os.path.join(ROOT, "microgpt-core", "src", "main", "resources", "io", "microgpt", "core", "data", "names.txt")
RAW = os.path.join(HERE, "side-by-side.json")
BEGIN, END = "<!-- side-by-side:begin -->", "<!-- side-by-side:end -->"
LONG_CHARS = 300   # as io.microgpt.bench.LongDocuments.MIN_CHARS

# name, n_embd widths, n_head, n_layer, block, data, batch, seconds per round (full, quick)
SHAPES = [
    ("reference", [16, 64, 128], 4, 1, 16, "names", 16, (1.0, 0.5)),
    ("nanoGPT CPU recipe", [128], 4, 4, 64, "long-names", 12, (2.0, 1.0)),
    ("6 layers, 384 wide", [384], 6, 6, 256, "long-names", 12, (4.0, 0.1)),
]


def long_names(path):
    """The bundled names joined by spaces into lines of at least LONG_CHARS characters (LongDocuments)."""
    lines, line = [], ""
    with open(NAMES, encoding="utf-8") as f:
        for name in (l.strip() for l in f):
            if not name:
                continue
            line = name if not line else line + " " + name
            if len(line) >= LONG_CHARS:
                lines.append(line)
                line = ""
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


JARS = {}   # the copies this run uses (made after the build), so that a build during the run cannot swap them


def microgpt(*args):
    return run([JAVA, *JVM_FLAGS, "-jar", JARS["cli"], *args])


def self_check(tmp, data, shape_args, batch):
    metrics = os.path.join(tmp, "check.csv")
    ckpt = os.path.join(tmp, "check.safetensors")
    common = ["train", "--backend", "simd", "--data", data, "--steps", "3", "--batch", str(batch), "--samples", "0", *shape_args]
    microgpt(*common, "--metrics", metrics)
    microgpt(*common, "--stop-after", "1", "--save", ckpt)
    with open(metrics) as f:
        losses = [line.split(",")[1] for line in f.read().splitlines()[1:]]
    out = run([sys.executable, os.path.join(HERE, "microgpt_torch.py"), "check", "--checkpoint", ckpt,
               "--data", data, "--losses", ",".join(losses[1:])])
    report = json.loads(out)
    log(f"  {' '.join(shape_args)} batch {batch}: microgpt {report['expected']}, pytorch {report['pytorch']}")
    return report


def java_round(tmp, shape, data, threads, seconds, max_warmup):
    name, widths, n_head, n_layer, block, _, batch, _ = shape
    out = os.path.join(tmp, "bench.json")
    microgpt("bench", "--backend", "simd", "--n-embd", ",".join(map(str, widths)), "--n-head", str(n_head),
             "--n-layer", str(n_layer), "--block-size", str(block), "--data", data, "--batch", str(batch),
             "--threads", str(threads), "--seconds", str(seconds), "--rounds", "1", "--max-warmup", str(max_warmup),
             "--json", out)
    with open(out) as f:
        return json.load(f)


def torch_round(shape, data, threads, seconds):
    name, widths, n_head, n_layer, block, _, batch, _ = shape
    out = run([sys.executable, os.path.join(HERE, "microgpt_torch.py"), "bench", "--data", data,
               "--n-embd", ",".join(map(str, widths)), "--n-head", str(n_head), "--n-layer", str(n_layer),
               "--block-size", str(block), "--batch", str(batch), "--threads", str(threads),
               "--seconds", str(seconds), "--warmup", str(max(1.0, seconds)), "--rounds", "1"])
    return json.loads(out)


BUSY_NOTE = ("**The machine was busy during this run** (load average above its core count): the figures, the FMA peak "
             "and the percentages are lower than a quiet machine gives, by a factor that changed from minute to minute, "
             "and the 2-thread rows mean little: with more runnable threads than cores, a step that waits for both "
             "threads waits for the slower, and PyTorch's OpenMP workers, which spin while they wait, slow down by "
             "tens of times. Compare ratios within a row only, and rerun on a quiet machine for figures to quote.")


def table(rows, peak, meta):
    lines = [
        f"Generated by `docs/bench/pytorch/side_by_side.sh{' --quick' if meta['quick'] else ''}` on {meta['date']} "
        f"in {meta['minutes']:.0f} min: {meta['reps']} repetition{'s' if meta['reps'] > 1 else ''}, each one "
        f"`microgpt bench` round and one PyTorch round per shape and thread count, interleaved (the order alternating "
        f"between repetitions). Median of the repetitions, fastest and slowest in brackets.",
        "",
        "```",
        f"cpu:          {meta['cpu']}, {os.cpu_count()} cores",
        f"jdk:          {meta['jdk']}; vector species {meta['species']}",
        f"pytorch:      {meta['torch']} (CPU, eager, f32), Python {platform.python_version()}",
        f"fma peak:     {peak:.1f} GFLOP/s on one thread (io.microgpt.bench.FmaPeak: 12 fma chains, 2 FLOPs per lane per fma)",
        f"load average: {meta['load_start']} at the start, {meta['load_end']} at the end (1, 5, 15 min; 2 cores)",
        f"self-check:   same weights, same loss: " + "; ".join(meta["checks"]),
        "```",
        "",
        "| shape | n_embd | threads | simd µs/sample | PyTorch µs/sample | PyTorch ÷ simd | simd GFLOP/s | % of FMA peak | simd working set |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    flagged = False
    for r in rows:
        ratio = statistics.median(r["torch"]) / statistics.median(r["simd"])
        gflops = r["flops"] / statistics.median(r["simd"]) / 1e3
        mark = "*" if r["warnings"] else ""
        flagged |= bool(mark)
        lines.append(f"| {r['shape']} | {r['nEmbd']} | {r['threads']} | {cell(r['simd'])}{mark} | {cell(r['torch'])} | "
                     f"{ratio:.2f}× | {gflops:.1f} | {100 * gflops / (peak * r['threads']):.0f}% | {r['workingSet'] / 1e6:.1f} MB |")
    lines.append("")
    lines.append("Shapes: reference = 4 heads, 1 layer, block 16, the names, batch 16; nanoGPT CPU recipe = 4 layers, "
                 "4 heads, block 64, batch 12; 6 layers, 384 wide = 6 heads, block 256, batch 12; the last two on the "
                 "names joined into lines of 300+ characters (every position of the block trained). PyTorch pads a "
                 "batch to its longest document; simd packs documents. GFLOP/s counts the matrix products and attention "
                 "(`TrainingFlops`: 3 × forward, 2 per multiply-add); the peak is one thread's, times the thread count. "
                 "Raw figures: `docs/bench/pytorch/side-by-side.json`.")
    if busy(meta["load_start"], meta["load_end"]):
        lines.append("")
        lines.append(BUSY_NOTE)
    if flagged:
        lines.append("")
        lines.append("\\* `microgpt bench` flagged a repetition of this row (warm-up not steady, or too few steps): "
                     "see the warnings in the raw figures.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="simd and PyTorch side by side (see the module docstring)")
    parser.add_argument("--quick", action="store_true", help="one repetition, shorter rounds and warm-up")
    parser.add_argument("--reps", type=int, help="repetitions (default: 3, 1 with --quick)")
    parser.add_argument("--no-write", action="store_true", help="print the table only (docs/BENCHMARKS.md and side-by-side.json untouched)")
    args = parser.parse_args()
    reps = args.reps or (1 if args.quick else 3)
    started = time.time()
    load_start = load_average()
    import torch

    with tempfile.TemporaryDirectory() as tmp:
        JARS.update(build_jars(tmp))
        longs = os.path.join(tmp, "long-names.txt")
        long_names(longs)
        data = {"names": NAMES, "long-names": longs}
        log("self-check (same weights, same loss)...")
        checks = []
        for d, shape_args, batch in [(NAMES, ["--n-embd", "16"], 16),
                                     (longs, ["--n-embd", "32", "--n-head", "4", "--n-layer", "2", "--block-size", "64"], 4)]:
            r = self_check(tmp, d, shape_args, batch)
            checks.append(f"{' '.join(shape_args)} batch {batch}: Δ {abs(r['differences'][0]):.1e}")
        log("fma peak...")
        peak, peak_line = fma_peak(JARS["bench"])
        log(f"  {peak_line}")
        rows = {}
        host = None
        for rep in range(reps):
            for shape in SHAPES:
                seconds = shape[7][1 if args.quick else 0]
                for threads in (1, 2):
                    log(f"rep {rep + 1}/{reps}: {shape[0]}, {threads} thread{'s' if threads > 1 else ''}...")
                    order = ("java", "torch") if rep % 2 == 0 else ("torch", "java")
                    for side in order:
                        if side == "java":
                            j = java_round(tmp, shape, data[shape[5]], threads, seconds, 10 if args.quick else 30)
                            host = j
                            for res in j["results"]:
                                row = rows.setdefault((shape[0], res["nEmbd"], threads), {
                                    "shape": shape[0], "nEmbd": res["nEmbd"], "threads": threads, "simd": [], "torch": [],
                                    "warnings": [], "flops": res["flopsPerSample"], "workingSet": res["workingSetBytes"] or 0})
                                row["simd"].append(res["microsPerSample"]["median"])
                                row["warnings"] += res["warnings"]
                        else:
                            t = torch_round(shape, data[shape[5]], threads, seconds)
                            for res in t["results"]:
                                rows.setdefault((shape[0], res["nEmbd"], threads), {
                                    "shape": shape[0], "nEmbd": res["nEmbd"], "threads": threads, "simd": [], "torch": [],
                                    "warnings": [], "flops": 0, "workingSet": 0})["torch"].append(res["roundMicros"][0])
    ordered = sorted(rows.values(), key=lambda r: ([s[0] for s in SHAPES].index(r["shape"]), r["nEmbd"], r["threads"]))
    meta = {"quick": args.quick, "reps": reps, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
            "minutes": (time.time() - started) / 60, "cpu": cpu_model(),
            "jdk": f"{host['javaVersion']} ({host['vmName']})", "species": host["vectorSpecies"], "torch": torch.__version__,
            "peak_line": peak_line, "load_start": load_start,
            "load_end": load_average(), "checks": checks}
    text = table(ordered, peak, meta)
    print(text)
    if not args.no_write:
        with open(RAW, "w") as f:
            json.dump({"meta": meta, "fmaPeakGflops": peak, "rows": ordered}, f, indent=1)
        write_section(BEGIN, END, "Side by side with PyTorch", text)
        log(f"wrote {os.path.relpath(DOC, ROOT)} and {os.path.relpath(RAW, ROOT)}")


if __name__ == "__main__":
    main()
