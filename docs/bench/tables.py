#!/usr/bin/env python3
"""Writes the generated part of docs/BENCHMARKS.md from the raw results beside this script.

Reads jmh-jdk*.json (JMH's -rf json output), memory.tsv (peak RSS of 1000-step train runs), cli-jdk17.json
(`microgpt bench --json`, for the engines' working sets) and machine.txt, and replaces everything between
the markers <!-- generated:begin --> and <!-- generated:end --> in docs/BENCHMARKS.md. Run by run.sh.
"""
import glob
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "BENCHMARKS.md")
BEGIN, END = "<!-- generated:begin -->", "<!-- generated:end -->"
WIDTHS = [16, 32, 64, 128]

# Figures not measured by this code. (label, n_embd 16, n_embd 64, where and how)
MEASURED_BY_PROJECT = [
    ("microgpt.py on CPython (the reference)", "≈487,000", "≈8,800,000", "scalar f64 autograd in Python"),
    ("fastest native autograd port (C++)", "201", "3,339", "scalar f32 autograd, batch 1"),
    ("hand-written AVX2 C", "12.9", "106", "batch 1"),
    ("auto-vectorised C", "–", "115", "batch 8"),
    ("EEmicroGPT", "10.3", "150", "its Neon code through a translation layer"),
]
QUOTED_APPLE_M5 = [
    ("microgpt.py on CPython", "49,000", "713,200"),
    ("microgpt.py on PyPy", "17,640", "301,400"),
    ("microgpt.cpp", "270", "3,260"),
    ("rust-microgpt", "118", "1,620"),
    ("EEmicroGPT", "3.0", "46.8 (36.8 with SME2)"),
]


def fmt(x):
    """Three significant figures or more, thousands separated."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def fmt_range(median, low, high):
    if low == high:
        return fmt(median)
    return f"{fmt(median)} ({fmt(low)}–{fmt(high)})"


def spread(metric):
    """(median, min, max) of the iteration scores: robust to the bursts of other work on a shared machine."""
    p = metric.get("scorePercentiles", {})
    if "50.0" in p:
        return p["50.0"], p["0.0"], p["100.0"]
    return metric["score"], metric["score"], metric["score"]


def load_jmh():
    runs = []
    for path in sorted(glob.glob(os.path.join(HERE, "jmh-jdk*.json"))):
        with open(path) as f:
            results = json.load(f)
        if results:
            runs.append((os.path.basename(path), results))
    return runs


def jdk_label(results):
    r = results[0]
    return f"{r['jdkVersion']} ({r['vmName']})"


def alloc_cell(alloc):
    if alloc is None:
        return "–"
    median, _, high = alloc
    if high > 10 * median + 1000:
        return f"{median:,.0f} B ({high:,.0f} B)"
    return f"{median:,.0f} B"


REFERENCE_SHAPE = {"nLayer": "1", "nHead": "4", "blockSize": "16", "data": "names"}


def is_reference_shape(params):
    """A TrainingStepBenchmark cell at the reference's shape (the parameters' defaults) but for its width."""
    return all(params.get(k, v) == v for k, v in REFERENCE_SHAPE.items())


def training_rows(results):
    """{(backend, batch, threads): {nEmbd: (median, min, max, alloc bytes/sample)}}, reference shapes only"""
    rows = {}
    for r in results:
        if not r["benchmark"].endswith("TrainingStepBenchmark.train") or not is_reference_shape(r["params"]):
            continue
        p = r["params"]
        key = (p["backend"], int(p["batch"]), int(p.get("threads", "1")))
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        alloc = spread(norm) if norm else None
        rows.setdefault(key, {})[int(p["nEmbd"])] = spread(r["primaryMetric"]) + (alloc,)
    return rows


def inference_rows(results):
    """{backend: {nEmbd: (median names/s, median tokens/s)}}"""
    rows = {}
    for r in results:
        if not r["benchmark"].endswith("InferenceBenchmark.sample"):
            continue
        p = r["params"]
        tokens = r.get("secondaryMetrics", {}).get("tokens")
        rows.setdefault(p["backend"], {})[int(p["nEmbd"])] = (spread(r["primaryMetric"])[0], spread(tokens)[0] if tokens else None)
    return rows


def documents(data):
    """The documents of a JMH dataset name, as the bench module makes them (BenchmarkRuns, LongDocuments)."""
    names_file = os.path.join(HERE, "..", "..", "microgpt-core", "src", "main", "resources", "io", "microgpt", "core", "data", "names.txt")
    with open(names_file, encoding="utf-8") as f:
        names = [l.strip() for l in f if l.strip()]
    if data == "names":
        return names
    lines, line = [], ""
    for name in names:
        line = name if not line else line + " " + name
        if len(line) >= 300:
            lines.append(line)
            line = ""
    return lines


def flops_per_sample(docs, n_embd, n_head, n_layer, block):
    """Mean training FLOPs per document, as io.microgpt.core.TrainingFlops counts them."""
    vocab = len(set("".join(docs))) + 1
    d = n_embd
    matmul = 2 * (n_layer * 12 * d * d + vocab * d)
    total = 0
    for doc in docs:
        n = min(block, len(doc) + 1)
        total += 3 * (matmul * n + n_layer * 4 * (d // n_head) * n_head * n * (n + 1) / 2)
    return total / len(docs)


def fma_peak(results):
    """FmaPeakBenchmark's GFLOP/s (median of its iterations), or None."""
    for r in results:
        if r["benchmark"].endswith("FmaPeakBenchmark.fma") and "flops" in r.get("secondaryMetrics", {}):
            return spread(r["secondaryMetrics"]["flops"])
    return None


def shape_section(runs):
    """Cells beyond the reference's shape: ModelShapeBenchmark and TrainingStepBenchmark at other parameters."""
    out = []
    rows = []
    peaks = []
    cache = {}
    for file, results in runs:
        peak = fma_peak(results)
        if peak:
            peaks.append(f"{fmt(peak[0])} GFLOP/s ({fmt(peak[1])}–{fmt(peak[2])}) on JDK {jdk_label(results)}")
        for r in results:
            p = r["params"]
            if r["benchmark"].endswith("ModelShapeBenchmark.train"):
                layers, heads, width, block = (int(x) for x in p["shape"].split("-"))
                batch = 12
            elif r["benchmark"].endswith("TrainingStepBenchmark.train") and not is_reference_shape(p):
                layers, heads, width, block = int(p["nLayer"]), int(p["nHead"]), int(p["nEmbd"]), int(p["blockSize"])
                batch = int(p["batch"])
            else:
                continue
            data = p.get("data", "names")
            if data not in cache:
                cache[data] = documents(data)
            median, low, high = spread(r["primaryMetric"])
            gflops = flops_per_sample(cache[data], width, heads, layers, block) / median / 1e3
            rows.append(f"| {p['backend']} | {layers} | {heads} | {width} | {block} | {data} | {batch} | "
                        f"{p.get('threads', '1')} | {jdk_label(results)} | {fmt_range(median, low, high)} | {gflops:.1f} |")
    if not rows and not peaks:
        return out
    out.append("### Beyond the reference: larger shapes, and the FMA peak\n")
    if peaks:
        out.append("The core's FP32 FMA peak (`FmaPeakBenchmark`: 12 independent chains of `fma` on the preferred "
                   "species, 2 FLOPs per lane per fma, one thread): " + "; ".join(peaks) + ".\n")
    if rows:
        out.append("µs per training sample (JMH medians, fastest and slowest iteration in brackets) and the GFLOP/s "
                   "this means (`TrainingFlops`: the matrix products and attention, forward and backward; compare "
                   "with the peak above). `long-names`: the names joined into lines of 300+ characters, so every "
                   "position of the block is trained.\n")
        out.append("| backend | layers | heads | n_embd | block | data | batch | threads | JDK | µs/sample | GFLOP/s |")
        out.append("|---|---:|---:|---:|---:|---|---:|---:|---|---:|---:|")
        out.extend(rows)
    out.append("")
    return out


def method(runs, benchmark):
    """How JMH ran this benchmark in the first run that has it, e.g. '5 × 2 s after 5 × 2 s of warm-up, 1 fork'."""
    for _, results in runs:
        for r in results:
            if benchmark in r["benchmark"]:
                return (f"{r['measurementIterations']} × {r['measurementTime']} after {r['warmupIterations']} × "
                        f"{r['warmupTime']} of warm-up, {r['forks']} fork{'s' if r['forks'] != 1 else ''} per cell")
    return "not run"


def backend_order(name):
    return (name != "scalar", name)


def section(runs):
    out = []
    machine = os.path.join(HERE, "machine.txt")
    if os.path.exists(machine):
        out.append("Machine and run (from `docs/bench/machine.txt`):\n")
        out.append("```")
        out.append(open(machine).read().strip())
        out.append("```\n")

    out.append("### Training: µs per training sample (JMH, lower is better)\n")
    out.append(f"Median of JMH's measurement iterations ({method(runs, 'TrainingStepBenchmark')}), the fastest and "
               "slowest in brackets: the median, not JMH's mean, because other work on the shared cores comes in bursts. "
               "One sample is one document: forward, backward and its share of the Adam update. "
               "The raw results (means, errors, every iteration) are in `docs/bench/jmh-jdk*.json`.\n")
    widths_header = " | ".join(f"n_embd {w}" for w in WIDTHS)
    out.append(f"| backend | batch | threads | JDK | {widths_header} |")
    out.append("|---|---:|---:|---|" + "---:|" * len(WIDTHS))
    for file, results in runs:
        rows = training_rows(results)
        for key in sorted(rows, key=lambda k: (backend_order(k[0]), k[1], k[2])):
            cells = " | ".join(fmt_range(*rows[key][w][:3]) if w in rows[key] else "–" for w in WIDTHS)
            out.append(f"| {key[0]} | {key[1]} | {key[2]} | {jdk_label(results)} | {cells} |")
    out.append("")

    speedups = []
    for file, results in runs:
        rows = training_rows(results)
        base = rows.get(("scalar", 1, 1))
        if not base:
            continue
        for key in sorted(rows, key=lambda k: (backend_order(k[0]), k[1], k[2])):
            if key[0] == "scalar":
                continue
            cells = " | ".join(f"{base[w][0] / rows[key][w][0]:.1f}×" if w in rows[key] and w in base else "–" for w in WIDTHS)
            speedups.append(f"| {key[0]} | {key[1]} | {key[2]} | {jdk_label(results)} | {cells} |")
    if speedups:
        out.append("Speed-up over the scalar backend (batch 1) at the same width, same JDK, same run:\n")
        out.append(f"| backend | batch | threads | JDK | {widths_header} |")
        out.append("|---|---:|---:|---|" + "---:|" * len(WIDTHS))
        out.extend(speedups)
        out.append("")

    out.append("### Allocation per training sample (JMH `-prof gc`, `gc.alloc.rate.norm`)\n")
    out.append("Median over the measurement iterations; in brackets, the largest iteration when it stands out: an "
               "engine that grows its buffers to a longer batch than any seen before allocates once, in one "
               "iteration.\n")
    out.append(f"| backend | batch | threads | JDK | {widths_header} |")
    out.append("|---|---:|---:|---|" + "---:|" * len(WIDTHS))
    for file, results in runs:
        rows = training_rows(results)
        for key in sorted(rows, key=lambda k: (backend_order(k[0]), k[1], k[2])):
            cells = " | ".join(alloc_cell(rows[key][w][3]) if w in rows[key] else "–" for w in WIDTHS)
            out.append(f"| {key[0]} | {key[1]} | {key[2]} | {jdk_label(results)} | {cells} |")
    out.append("")

    out.append("### Sampling: tokens per second (JMH, higher is better)\n")
    out.append("As the reference samples (temperature 0.5, from BOS until BOS or 16 tokens) after 100 training steps; "
               f"a token is one position fed to the model. In brackets: names per second. Medians ({method(runs, 'InferenceBenchmark')}).\n")
    out.append(f"| backend | JDK | {widths_header} |")
    out.append("|---|---|" + "---:|" * len(WIDTHS))
    for file, results in runs:
        rows = inference_rows(results)
        for backend in sorted(rows, key=backend_order):
            cells = " | ".join(
                f"{rows[backend][w][1]:,.0f} ({rows[backend][w][0]:,.0f})" if w in rows[backend] and rows[backend][w][1] else "–"
                for w in WIDTHS)
            out.append(f"| {backend} | {jdk_label(results)} | {cells} |")
    out.append("")

    out.extend(shape_section(runs))
    out.extend(memory_section())
    out.extend(side_by_side(runs))
    return "\n".join(out)


def memory_section():
    out = []
    memory = os.path.join(HERE, "memory.tsv")
    if not os.path.exists(memory):
        return out
    working = {}
    cli = os.path.join(HERE, "cli-jdk17.json")
    if os.path.exists(cli):
        with open(cli) as f:
            for r in json.load(f)["results"]:
                working[(r["backend"], r["nEmbd"])] = (r["batch"], r["workingSetBytes"])
    out.append("### Memory\n")
    out.append("Peak resident memory of a whole `microgpt train` process (JVM included; 1000 steps at the backend's "
               "default batch, then 20 samples; `/usr/bin/time -v`), first with the JVM's default heap (its ergonomics, "
               "with up to a quarter of the machine's memory to grow into, decide most of that figure), then with the heap "
               "capped at 128 MB (`-Xmx128m`) to show what the work needs; and the engine's working set for one step "
               "(`Engine.workingSetBytes()`: the scalar backend's autograd tape, a vectorised backend's activation "
               "buffers) from `microgpt bench --json`. For scale, the reference on CPython peaks at 64 MB (n_embd 16) "
               "and 467 MB (n_embd 64) here (measured by the project earlier). The project's targets: the scalar "
               "tape at n_embd 64 at most 64 MB, a SIMD backend's buffers at most 8 MB, no run needing more than the "
               "JVM's default heap. Both backends report their working set; a – would mark one that does not.\n")
    out.append("| backend | n_embd | batch | peak RSS | peak RSS with -Xmx128m | working set |")
    out.append("|---|---:|---:|---:|---:|---:|")
    with open(memory) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            batch, ws = working.get((r["backend"], int(r["n_embd"])), ("default", None))
            ws_text = f"{ws / 1e6:.1f} MB" if ws is not None and ws >= 0 else "–"
            out.append(f"| {r['backend']} | {r['n_embd']} | {batch} | {int(r['max_rss_kb']) / 1024:.0f} MB | {int(r['max_rss_kb_xmx128m']) / 1024:.0f} MB | {ws_text} |")
    out.append("")
    return out


def default_batches():
    """{backend: its default batch}, from `microgpt bench --json` (run without --batch); empty if absent."""
    cli = os.path.join(HERE, "cli-jdk17.json")
    if not os.path.exists(cli):
        return {}
    with open(cli) as f:
        return {r["backend"]: r["batch"] for r in json.load(f)["results"]}


def side_by_side(runs):
    defaults = default_batches()
    out = ["### Side by side: µs per training sample at n_embd 16 and 64\n"]
    out.append("This code at each backend's default batch, one thread (other batches: tables above).\n")
    out.append("| what | where | n_embd 16 | n_embd 64 | note |")
    out.append("|---|---|---:|---:|---|")
    for file, results in runs:
        rows = training_rows(results)
        for key in sorted(rows, key=lambda k: (backend_order(k[0]), k[1], k[2])):
            if key[0] in defaults and (key[1] != defaults[key[0]] or key[2] != 1):
                continue
            r = rows[key]
            threads = "1 thread" if key[2] == 1 else f"{key[2]} threads"
            out.append(f"| **this code: {key[0]}**, batch {key[1]}, {threads} | **measured here by this code**, "
                       f"JDK {results[0]['jdkVersion']} | **{fmt(r[16][0]) if 16 in r else '–'}** | "
                       f"**{fmt(r[64][0]) if 64 in r else '–'}** | JMH, table above |")
    for what, a, b, note in MEASURED_BY_PROJECT:
        out.append(f"| {what} | measured by the project on this workplace's machines, earlier ¹ | {a} | {b} | {note} |")
    for what, a, b in QUOTED_APPLE_M5:
        out.append(f"| {what} | quoted: published figures, one Apple M5 core | {a} | {b} | |")
    out.append("")
    out.append("¹ Measured by the project earlier, on machines of this workplace described then as 2-core AMD EPYC "
               "(Zen 3, AVX2); this script does not run those programs. Compare `machine.txt` above before comparing "
               "rows, as the machine of a given run may be a different CPU generation.")
    out.append("")
    return out


def main():
    runs = load_jmh()
    if not runs:
        sys.exit("no jmh-jdk*.json beside " + HERE + ": run docs/bench/run.sh first")
    text = open(DOC).read()
    if BEGIN not in text or END not in text:
        sys.exit(DOC + " lacks the markers " + BEGIN + " / " + END)
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    text = head + BEGIN + "\n" + section(runs) + "\n" + END + tail
    with open(DOC, "w") as f:
        f.write(text)
    print("wrote " + os.path.normpath(DOC))


if __name__ == "__main__":
    main()
