#!/usr/bin/env bash
# Runs every test of the given files on its own (`vitest -t`), to find a test that passes only
# after another one (shared fixtures). Prints one line per test that fails alone.
# Usage: DATABASE_URL=… REDIS_URL=… bash scripts/each-test-alone.sh test/journey.test.ts [more files]
set -u

for f in "$@"; do
  grep -oE "^\s+it\('([^']+)'" "$f" | sed -E "s/^\s+it\('//; s/'$//" | while read -r title; do
    pattern=$(printf '%s' "$title" | cut -c1-60 | sed 's/[][\\.*^$(){}+?|]/\\&/g')
    result=$(npx vitest run "$f" -t "$pattern" 2>&1 | grep -E "Tests ")
    case "$result" in *failed*) echo "FAILS ALONE: $f :: $title";; *passed*) ;; *) echo "NOT RUN: $f :: $title";; esac
  done
done

