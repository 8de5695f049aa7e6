#!/usr/bin/env bash
# Check that a refactor changed no output: run the CLI of two revisions on the seeds and the
# examples and compare every output byte for byte (run, stories, stories --explain, show in
# every format for every story, analyze json and jsonl).
# Usage: bench/same_outputs.sh [BASE_REV]   (default: HEAD~1); run from the repo root.
set -euo pipefail
BASE=${1:-HEAD~1}
PY="$(pwd)/.venv/bin/python"
WORK=$(mktemp -d)
trap 'git worktree remove --force "$WORK/base" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
git worktree add -q --detach "$WORK/base" "$BASE"

cli() {  # cli SRC ARGS...: the storydesk CLI of the tree at SRC (old trees had storydesk.cli:main)
  local src=$1; shift
  PYTHONPATH="$src" "$PY" -c '
import sys
try:
    from storydesk.cli.main import main
except ImportError:
    from storydesk.cli import main
sys.argv = ["storydesk", *sys.argv[1:]]
main()' "$@"
}

outputs() {  # outputs SRC OUT
  local src=$1 out=$2 corpus dir pub db n i f
  mkdir -p "$out"
  for corpus in seeds examples; do
    if [ "$corpus" = seeds ]; then dir=../shared/seeds; pub=2025-11-07; else dir=examples; pub=2026-03-13; fi
    [ -d "$dir" ] || continue
    db="$out/$corpus.db"
    cli "$src" --db "$db" run --published "$pub" "$dir" > "$out/$corpus.run.txt" 2>&1 || true
    cli "$src" --db "$db" stories --format json > "$out/$corpus.stories.json"
    cli "$src" --db "$db" stories --explain --format json > "$out/$corpus.explain.json"
    cli "$src" --db "$db" stories > "$out/$corpus.stories.txt"
    n=$("$PY" -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$out/$corpus.stories.json")
    for i in $(seq 1 "$n"); do
      for f in json md html terminal; do
        cli "$src" --db "$db" show "$i" --format "$f" > "$out/$corpus.$i.$f" 2>&1 || true
      done
    done
    rm -f "$db" "$db-wal" "$db-shm"
  done
  cli "$src" analyze --raw --published 2026-03-13 --format json tests/fixtures/raw/harbor.txt > "$out/analyze.json"
  if [ -d ../shared/seeds ]; then
    cli "$src" analyze --published 2025-11-07 --format jsonl ../shared/seeds/* > "$out/analyze.jsonl"
  fi
}

outputs "$WORK/base/src" "$WORK/old"
outputs "$(pwd)/src" "$WORK/new"
total=$(ls "$WORK/old" | wc -l)
differ=0
for f in $(ls "$WORK/old"); do
  if ! cmp -s "$WORK/old/$f" "$WORK/new/$f"; then echo "differs: $f"; differ=$((differ + 1)); fi
done
echo "$total outputs compared against $BASE, $differ differ"
