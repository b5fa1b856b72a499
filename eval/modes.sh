#!/usr/bin/env bash
# `run_project.sh` for one search mode: use as its REMEDY_BIN, e.g.
#   MODE=dense CACHED=/tmp/remedy-eval-work/index/remedy-copy REMEDY_BIN=eval/modes.sh \
#     ../shared/eval/run_project.sh ../shared/corpus/alchemy eval/train.tsv
# `search` gets `--mode $MODE`. With CACHED (an index remedy built of the same corpus),
# `index` copies it instead of building, so the build columns are a copy's; the ranking and
# latency columns are real. Everything else goes to the release binary as it is.
BIN="$(cd "$(dirname "$0")/.." && pwd)/target/release/remedy"
if [ "$1" = index ] && [ -n "${CACHED:-}" ]; then
  rm -rf "$5" && cp -r "$CACHED" "$5" && exit 0
fi
if [ "$1" = search ]; then
  shift
  exec "$BIN" search --mode "${MODE:?MODE=lexical|dense|hybrid}" "$@"
fi
exec "$BIN" "$@"
