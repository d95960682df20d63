#!/usr/bin/env bash
# make bench: end-to-end and package benchmarks. Numbers on a shared
# machine are noisy: compare ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o vitrine ./cmd/vitrine
echo "== ingest and publish latency, SQLite =="
go run ./tools/bench -vitrine ./vitrine
if [ -n "${VITRINE_TEST_POSTGRES:-}" ]; then
  echo "== ingest and publish latency, PostgreSQL =="
  go run ./tools/bench -vitrine ./vitrine -db "$VITRINE_TEST_POSTGRES" -files 50
fi
echo "== publish jobs: full of 100,000 assets vs incremental with 100 new (JOB-3) =="
if [ -n "${VITRINE_TEST_POSTGRES:-}" ]; then
  # SQLite, then PostgreSQL, then the ratio of their full publishes (target at most 2x).
  go run ./tools/jobbench -db "$VITRINE_TEST_POSTGRES" -compare
else
  go run ./tools/jobbench
fi
echo "== workspace: Grid view, first page of a folder of 1,000 and of 100,000 assets (SQLite) =="
go run ./tools/gridbench
echo "== daily maintenance: collect 100,000 blobs, half unreferenced =="
go run ./tools/jobbench -gc 100000
if [ -n "${VITRINE_TEST_POSTGRES:-}" ]; then
  go run ./tools/jobbench -gc 100000 -db "$VITRINE_TEST_POSTGRES"
fi
echo "== live events: 100 open streams, change to receipt during a publish job (target p99 < 100ms) =="
go run ./tools/eventbench -clients 100
echo "== package benchmarks =="
go test -run '^$' -bench . -benchmem -benchtime 2s ./internal/... 2>&1 | grep -E '^(Benchmark|ok|PASS|FAIL|goos|pkg)' || true
echo "== image serving =="
go run ./tools/imgbench -vitrine ./vitrine
echo "== smart crop and 3-layer composite next to the plain render of the same size (issue 14) =="
go run ./tools/layerbench
echo "== edge: hits next to nginx, and purge propagation to three edges =="
D=10s internal/edge/bench/run.sh
go test -run '^$' -bench PurgePropagation -benchtime 300x ./internal/edge
if [ -n "${VITRINE_TEST_POSTGRES:-}" ]; then
  echo "== several nodes on PostgreSQL: publish-to-visible across nodes, cached delivery 1 vs 3 nodes =="
  go run ./tools/clusterbench -vitrine ./vitrine -db "$VITRINE_TEST_POSTGRES"
fi
