#!/bin/sh
# microgpt's simd backend and PyTorch side by side, written into docs/BENCHMARKS.md (see side_by_side.py).
#   docs/bench/pytorch/side_by_side.sh           3 repetitions of every shape at 1 and 2 threads (25 min on a busy 2-core machine)
#   docs/bench/pytorch/side_by_side.sh --quick   1 repetition, shorter rounds (8 min on the same)
#   add --no-write to print the table only
# Needs Python 3 with torch, numpy and safetensors: `pip install torch numpy safetensors` (the CPU-only torch
# wheel is enough; pytorch.org's install page gives the command for other platforms). Set PYTHON to use
# another interpreter (e.g. a virtualenv's python). Without torch it says so and exits 0, having run nothing.
# Never part of `mvn verify` or CI: it takes minutes and measures a shared machine.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
if ! "$python" -c "import torch, numpy, safetensors" 2>/dev/null; then
  echo "skipping the PyTorch side by side: $python cannot import torch, numpy and safetensors." >&2
  echo "install them with: $python -m pip install torch numpy safetensors   (or set PYTHON=/path/to/python)" >&2
  exit 0
fi
exec "$python" "$here/side_by_side.py" "$@"
