#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's own fixtures, so that libFuzzer starts from real
# articles rather than from nothing. Run from the repository root: bash fuzz/seed-corpus.sh
#
# extract: each fixture article, prefixed with the byte that makes the target read it in its
# own format (0 plain text, 1 HTML, 2 Markdown). query: a few queries of each kind.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/extract fuzz/corpus/query
for file in tests/fixtures/articles/* tests/fixtures/seeds/*; do
    case "$file" in
        *.txt) format='\000' ;;
        *.html | *.htm) format='\001' ;;
        *.md) format='\002' ;;
        *) continue ;;
    esac
    { printf "$format"; cat "$file"; } >"fuzz/corpus/extract/$(basename "$file")"
done
n=0
for query in 'waiting times' 'EHCP' '"speech and language therapy"' 'autism OR adhd' \
    '-EHCP area:dudley' 'title:inspectors' 'year:[2019 TO 2023]' '"unclosed' 'AND OR' \
    $'waiting\x01dudley\x01west-midlands\x01inconsistent' $'\x01\x01\x01\x01\x01waiting_times'; do
    n=$((n + 1))
    printf '%s' "$query" >"fuzz/corpus/query/seed-$n"
done
echo "seeded fuzz/corpus/extract ($(ls fuzz/corpus/extract | wc -l) files) and fuzz/corpus/query ($n)"
