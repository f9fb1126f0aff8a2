# Haat: the few verbs people type. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

SWIFT ?= swift
HAAT := .build/release/haat
HAAT_BENCH := .build/release/haat-bench
# What building needs; tests and benchmarks add theirs where they are first needed.
BUILD_PACKAGES := pkg-config libsqlite3-dev libssl-dev libcmark-dev libvips-dev
TEST_PACKAGES := chromium chromium-driver python3 python3-venv curl postgresql
BENCH_PACKAGES := hugo time python3 python3-venv gzip wrk curl postgresql openssl chromium chromium-driver
DEMO_DB := data/haat.sqlite

.PHONY: demo test bench bench-api bench-notify bench-push bench-scale bench-discover bench-images bench-search build bench-build deps fmt clean

deps:
	@scripts/ensure-packages.sh $(BUILD_PACKAGES)

build: deps
	$(SWIFT) build -c release --product haat

## The benchmark helpers, beside haat (one build: the second product reuses the first's modules).
bench-build: build
	$(SWIFT) build -c release --product haat-bench

## make demo: build; on a new database import and approve the sample content; build the
## site; serve it. Once the database exists a restart only imports, so an edit made under
## content/creators/ waits in the admin queue, as it would in production.
demo: build
	@if [ -e $(DEMO_DB) ]; then \
	  echo "$(DEMO_DB) exists: changed profiles are imported as pending; approve them at /admin/ (delete data/ to start over)."; \
	else \
	  $(HAAT) approve --all --db $(DEMO_DB); \
	fi
	$(HAAT) build --db $(DEMO_DB)
	@scripts/demo-accounts.sh $(HAAT) $(DEMO_DB)
	@echo
	@echo "Open http://127.0.0.1:8080/ — stop with Ctrl-C."
	$(HAAT) serve --demo --db $(DEMO_DB)

## make test: every test (Swift, the browser flows, then schemathesis against the API's
## OpenAPI document), ending with a summary line.
test: deps
	@scripts/ensure-packages.sh $(TEST_PACKAGES)
	$(SWIFT) build --build-tests
	scripts/run-tests.sh

## make bench: site build speed, memory and download sizes, discovery's evaluation and
## speed, responsive images, the lead API under load, lead notifications to 5,000 open
## WebSockets, Web Push to 5,000 devices, then scale-out: PostgreSQL with one and two instances.
bench: bench-build
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	scripts/bench.sh
	$(HAAT_BENCH) discover eval
	$(HAAT_BENCH) discover bench
	scripts/bench-search.sh
	scripts/bench-images.sh
	scripts/bench-api.sh
	scripts/bench-notify.sh
	scripts/bench-push.sh
	scripts/bench-scale.sh

## make bench-images: responsive variants of 1,000 pictures, and the cached rebuild.
bench-images: bench-build
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	scripts/bench-images.sh

## make bench-search: search against Pagefind on 10,000 creators, in chromium.
bench-search: bench-build
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	scripts/bench-search.sh

## make bench-discover: discovery's offline evaluation and its time and memory alone.
bench-discover: bench-build
	$(HAAT_BENCH) discover eval
	$(HAAT_BENCH) discover bench

bench-notify: bench-build
	scripts/bench-notify.sh

## make bench-push: leads pushed to 5,000 devices; the reveal's latency with and without.
bench-push: bench-build
	scripts/bench-push.sh

## make bench-scale: reveals on SQLite and on PostgreSQL with one and two instances,
## and leads crossing from one instance to the other's sockets.
bench-scale: bench-build
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	scripts/bench-scale.sh

bench-api: bench-build
	@scripts/ensure-packages.sh $(BENCH_PACKAGES)
	scripts/bench-api.sh

fmt:
	@echo "Formatting follows the surrounding code; no formatter is enforced yet."

clean:
	rm -rf .build site data
