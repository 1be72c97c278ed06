#!/usr/bin/env bash
# Benchmarks are never part of `make test`; each prints its figures, which go into bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for b in bench/bench_*.py; do
  echo "== $b"
  $PY "$b"
done
