#!/bin/sh
# microgpt's simd backend and three native C ports of microgpt.py side by side, written into docs/BENCHMARKS.md
# (see side_by_side.py).
#   docs/bench/ports/side_by_side.sh           3 repetitions at n_embd 16, 64, 128 (about 15 min on 2 cores)
#   docs/bench/ports/side_by_side.sh --quick   1 repetition (about 5 min)
#   add --no-write to print the table only; --kit DIR and --build DIR to say where the ports kit is and where
#   to build it (defaults: ../shared/ports beside this repository, and /tmp/microgpt-ports-build)
# The ports are measurement tools that stay outside this repository: the kit's own scripts copy, patch and build
# them (gcc; EEmicroGPT also needs the SIMDe headers: apt-get install -y libsimde-dev). Set PYTHON to use another
# interpreter. Never part of `mvn verify` or CI: it takes minutes and measures a shared machine.
set -e
here=$(cd "$(dirname "$0")" && pwd)
exec "${PYTHON:-python3}" "$here/side_by_side.py" "$@"
