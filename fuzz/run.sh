#!/usr/bin/env bash
# Seeds the fuzz corpora (from the test fixtures, the default content and a sample of
# ../shared/corpus) and runs every target for SECONDS each (default 30) with cargo-fuzz
# on stable Rust: `--sanitizer none` needs no nightly. A crash leaves its input in
# fuzz/artifacts/TARGET/ and fails the run.
#
#   fuzz/run.sh [SECONDS] [TARGET…]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-30}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(article findings query glossary translations markdown_html pages http)
fi
CORPUS_ROOT="${REMEDY_CORPUS:-../shared/corpus}"

seed() { # seed TARGET FILE…
  local dir="fuzz/corpus/$1"
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | tr '/ ' '__')"
  done
  return 0
}

articles=(content/nb-NO/*.md content/nl-NL/*.md tests/fixtures/edge-cases/*.md tests/fixtures/check/*/*.md)
if [ -d "$CORPUS_ROOT/spans" ]; then
  # A spread of real span articles: every 200th file of each corpus, by name.
  while IFS= read -r f; do articles+=("$f"); done < <(
    find "$CORPUS_ROOT/spans" "$CORPUS_ROOT/alchemy" -name '*.md' -size -40k | sort | awk 'NR % 200 == 1')
fi
seed article "${articles[@]}"
seed markdown_html "${articles[@]}"
seed pages content/nb-NO/*.md content/nl-NL/*.md tests/fixtures/edge-cases/*.md
seed glossary content/glossary.yaml tests/fixtures/check/glossary.yaml content/findings.yaml
seed findings tests/fixtures/sarif/*.json tests/fixtures/sarif/*.jsonl tests/fixtures/sarif/*.log
mkdir -p fuzz/corpus/findings
printf '{"code":"phs.stale","params":{"days":6}}\n{"code":"x"}\n' > fuzz/corpus/findings/lines.jsonl
printf 'Last password sync was 6 days ago\nok\n' > fuzz/corpus/findings/log.txt
mkdir -p fuzz/corpus/query
if [ -f ../shared/eval/dev.tsv ]; then
  tail -n +2 ../shared/eval/dev.tsv | cut -f3 | head -60 | nl -ba | while read -r n q; do
    printf '%s' "$q" > "fuzz/corpus/query/q$n"
  done
fi
printf 'passord synkroniseres ikke' > fuzz/corpus/query/seed
mkdir -p fuzz/corpus/translations
if [ -x target/debug/remedy ]; then
  target/debug/remedy export --content tests/fixtures/check --format po --target nb-NO \
    --out fuzz/corpus/translations/nb.po 2>/dev/null || true
  target/debug/remedy export --content tests/fixtures/check --format xliff --target nl-NL \
    --out fuzz/corpus/translations/nl.xlf 2>/dev/null || true
fi

# Requests as text: the request line, headers, an empty line, the body.
mkdir -p fuzz/corpus/http
req() { printf "$2" > "fuzz/corpus/http/$1"; }
req search-api 'GET /api/search?q=passord%%20synkroniseres%%20ikke&locale=nb-NO&limit=5&explain=true\n\n'
req search-page 'GET /nb-NO/search?q=wachtwoord+synchronisatie\nAccept: text/html\nAccept-Language: nl-NL,nl;q=0.9\n\n'
req advise 'POST /api/advise?locale=nb-NO\nContent-Type: application/x-ndjson\n\n{"code":"phs.stale","params":{"days":6}}\n{"code":"x"}\n'
req advise-sarif 'POST /api/advise?format=sarif\nContent-Type: application/json\n\n{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"phs.stale","message":{"text":"m"}}]}]}'
req guide 'POST /api/guide?locale=nl-NL&format=markdown\nContent-Type: text/plain\n\nLast password sync was 6 days ago\n'
req findings-form 'POST /nb-NO/findings\nContent-Type: application/x-www-form-urlencoded\nAccept: text/html\n\nfindings=%%7B%%22code%%22%%3A%%22phs.stale%%22%%7D'
req page 'GET /nb-NO/password-sync.html\nAccept: text/html\n\n'
req home 'GET /\nAccept-Language: nb\n\n'
req sitemap 'GET /sitemap.xml\n\n'
req health 'GET /healthz\n\n'
req traversal 'GET /nb-NO/..%%2F..%%2Fetc%%2Fpasswd\n\n'

mkdir -p fuzz/logs
for t in "${TARGETS[@]}"; do
  echo "fuzz: $t for ${SECONDS_EACH}s"
  if ! cargo fuzz run --sanitizer none --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    >"fuzz/logs/$t.log" 2>&1; then
    tail -n 40 "fuzz/logs/$t.log" >&2
    echo "fuzz: $t failed; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "fuzz/logs/$t.log" || true
done
