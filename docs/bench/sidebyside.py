"""What the side-by-side scripts (docs/bench/pytorch, docs/bench/ports) share: the CPU's name, the jars they run,
figures formatted for the tables, and writing a generated section into docs/BENCHMARKS.md between markers."""
import os
import platform
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CLI_JAR = os.path.join(ROOT, "microgpt-cli", "target", "microgpt.jar")
BENCH_JAR = os.path.join(ROOT, "microgpt-bench", "target", "benchmarks.jar")
DOC = os.path.join(ROOT, "docs", "BENCHMARKS.md")
JAVA = os.environ.get("JAVA", "java")
JVM_FLAGS = ["--add-modules", "jdk.incubator.vector", "-Xss8m", "-XX:PerMethodTrapLimit=1000"]


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs cmd, returns its stdout; exits with its stderr's tail if it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return done.stdout


def build_jars(tmp):
    """Builds the CLI jar and benchmarks.jar (no tests) and copies both into tmp, so that a build during the run
    cannot swap them; returns {"cli": path, "bench": path}."""
    log("building the CLI jar and benchmarks.jar...")
    run(["mvn", "-q", "-B", "-ntp", "-DskipTests", "-pl", "microgpt-cli,microgpt-bench", "-am", "package"], cwd=ROOT)
    jars = {}
    for key, jar in (("cli", CLI_JAR), ("bench", BENCH_JAR)):
        jars[key] = os.path.join(tmp, os.path.basename(jar))
        shutil.copyfile(jar, jars[key])
    return jars


def fma_peak(bench_jar):
    """One thread's FMA peak by io.microgpt.bench.FmaPeak: (GFLOP/s, its output line)."""
    import re
    out = run([JAVA, *JVM_FLAGS, "-cp", bench_jar, "io.microgpt.bench.FmaPeak"])
    return float(re.search(r"peak: ([\d.]+) GFLOP/s", out).group(1)), out.strip()


def cpu_model():
    """Model name, vendor, family and model, and the widest vector extension, from /proc/cpuinfo."""
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if ":" in line:
                    k, v = (x.strip() for x in line.split(":", 1))
                    info.setdefault(k, v)
    except OSError:
        return platform.processor() or platform.machine()
    flags = info.get("flags", "").split()
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return (f"{info.get('model name', '?')} ({info.get('vendor_id', '?')}, family {info.get('cpu family', '?')} "
            f"model {info.get('model', '?')}; {isa})")


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def busy(*loads):
    """Whether any of the load averages given (strings as load_average() returns) exceeded the core count."""
    return max(float(l.split()[0]) for l in loads) > (os.cpu_count() or 1)


def fmt(us):
    return f"{us:,.0f}" if us >= 100 else f"{us:.1f}" if us >= 10 else f"{us:.2f}"


def cell(values):
    """The median of values, with the fastest and slowest in brackets when there are several."""
    if not values:
        return "–"
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})" if len(values) > 1 else fmt(values[0])


def write_section(begin, end, heading, text):
    """Replaces what lies between the markers begin and end in docs/BENCHMARKS.md with text, or appends a section
    with that heading and the markers."""
    with open(DOC, encoding="utf-8") as f:
        doc = f.read()
    if begin in doc and end in doc:
        doc = doc[:doc.index(begin) + len(begin)] + "\n" + text + "\n" + doc[doc.index(end):]
    else:
        doc = doc.rstrip() + f"\n\n## {heading}\n\n" + begin + "\n" + text + "\n" + end + "\n"
    with open(DOC, "w", encoding="utf-8") as f:
        f.write(doc)
