# Vitrine: `make run` serves the demo company; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
DATA ?= $(or $(VITRINE_DATA),./data)
ADDR ?= $(or $(VITRINE_ADDR),127.0.0.1:8080)

# Debian packages: libvips for images, ffmpeg for video posters, PostgreSQL for
# the second engine, Varnish (with xkey) for the CDN adapter test, nginx for
# the edge benchmark, chromium and npm for the workspace's browser tests.
BUILD_DEPS := libvips-dev pkg-config gcc ffmpeg
TEST_DEPS := $(BUILD_DEPS) postgresql varnish varnish-modules nginx chromium
# versitygw: the S3 server the S3 blob store's tests start on loopback
# (POSIX backend), a Go module installed at this version into GOPATH/bin.
VERSITYGW_VERSION := v1.8.0

.PHONY: run build test test-go bench bench-peers soak lint deps-build deps-test deps-npm clean

build: deps-build
	$(GO) build -o vitrine ./cmd/vitrine

run: build
	./vitrine serve --data $(DATA) --addr $(ADDR)

deps-build:
	@scripts/deps.sh $(BUILD_DEPS)

deps-test:
	@scripts/deps.sh $(TEST_DEPS)
	@test "$$($(GO) version -m $$($(GO) env GOPATH)/bin/versitygw 2>/dev/null | awk '$$1 == "mod" {print $$3}')" = $(VERSITYGW_VERSION) \
		|| $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

# Every test, on SQLite and on a throwaway PostgreSQL, with the race detector.
# VITRINE_TEST_STRICT=1 (set in test-go): a test that lacks a tool (ffmpeg,
# varnishd, an AVIF encoder, chromium, axe-core) or PostgreSQL fails instead
# of skipping; deps-test and deps-npm install them.
test: deps-test deps-npm
	scripts/with-postgres.sh $(MAKE) --no-print-directory test-go

# axe-core for the browser tests, pinned in internal/ui/testdata/package-lock.json.
# npm from Debian unless one is already installed (Node.js builds bundle it).
deps-npm:
	@command -v npm >/dev/null || scripts/deps.sh npm
	npm ci --prefix internal/ui/testdata --no-audit --no-fund

test-go:
	$(GO) vet ./...
	VITRINE_TEST_STRICT=1 $(GO) test -race -count=1 -timeout 20m ./...

# The reliability soak (issue 15): a well-behaved and a hostile tenant on one
# server on loopback for SOAK (10m; SOAK=60s for a quick run); prints the
# well-behaved tenant's p50/p99 unloaded and loaded. A 20 s version runs in
# make test.
SOAK ?= 10m
soak: deps-test
	VITRINE_SOAK=$(SOAK) $(GO) test -count=1 -run '^TestSoak$$' -v -timeout 0 ./cmd/vitrine | grep -v 'level=INFO'

lint: deps-build
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench: deps-test
	scripts/with-postgres.sh scripts/bench.sh

# Vitrine next to its peers (issue 17), three interleaved repetitions, a few
# minutes: cold renders over HTTP next to an in-process vips_thumbnail floor,
# cached hits at the origin and through `vitrine edge` next to nginx serving
# the same bytes, CLI ingest next to cp -r; prints medians, ratios and the
# load average. Not part of make test; docs/benchmarks.md has results.
bench-peers: deps-build
	@scripts/deps.sh nginx curl
	$(GO) build -o vitrine ./cmd/vitrine
	$(GO) run ./tools/peerbench -vitrine ./vitrine

clean:
	rm -f vitrine
